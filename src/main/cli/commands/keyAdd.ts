// `latchkey key add [--name N]`: signs in, then registers another security key for the account.

import { withSession } from '../cliSession.js';
import { formatKey } from '../formatKey.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('key add', {
  summary: 'register a security key for the account (after signing in)',
  usage: 'latchkey key add [--name N] [--email E] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, {
      name: { type: 'string' },
      email: { type: 'string' },
      json: { type: 'boolean' },
    });
    return withSession(globals, io, options.json === true, async (cli) => {
      const { user } = await cli.signIn(options.email);
      const key = await cli.session.addKey(options.name === undefined ? {} : { displayName: options.name });
      cli.print([`Key added to ${user.email}:`, ...formatKey(key)], { key });
      return 0;
    });
  },
});
