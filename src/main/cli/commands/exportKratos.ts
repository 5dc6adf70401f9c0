// `latchkey export kratos`: signs in, then prints the account's keys as an Ory Kratos identity import document.

import { withSession } from '../cliSession.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('export kratos', {
  summary: 'print the account\u2019s keys as an Ory Kratos identity import document (after signing in)',
  usage: 'latchkey export kratos [--email E] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    return withSession(globals, io, options.json === true, async (cli) => {
      await cli.signIn(options.email);
      const identity = await cli.session.exportKratos();
      // Without --json, stdout is the document itself, ready for `> identity.json` and Kratos's import.
      cli.print([JSON.stringify(identity, null, 2)], { identity });
      return 0;
    });
  },
});
