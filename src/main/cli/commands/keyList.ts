// `latchkey key list`: signs in, then lists the account's keys (with any clone warning) and its sign-in mode.

import { withSession } from '../cliSession.js';
import { formatKey } from '../formatKey.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('key list', {
  summary: 'list the account\u2019s security keys (after signing in)',
  usage: 'latchkey key list [--email E] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    return withSession(globals, io, options.json === true, async (cli) => {
      await cli.signIn(options.email);
      const keys = cli.session.listKeys();
      const account = cli.session.account();
      const human = [
        `${account.email}: sign-in mode ${account.sign_in_mode}; ${keys.length === 1 ? '1 key' : `${keys.length} keys`}.`,
        ...keys.flatMap((k) => ['', ...formatKey(k)]),
      ];
      cli.print(human, { account, keys });
      return 0;
    });
  },
});
