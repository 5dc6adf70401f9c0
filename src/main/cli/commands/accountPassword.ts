// `latchkey account password [--email E]`: a new password, from the current one alone; the vault is rewrapped with it.

import { withSession } from '../cliSession.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('account password', {
  summary: 'change the account\u2019s password (the current one only: no key, no recovery code)',
  usage:
    'latchkey account password [--email E] [--json]   (LATCHKEY_PASSWORD: the current one; asked twice: the new one)',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    return withSession(globals, io, options.json === true, async (cli) => {
      await cli.signIn(options.email);
      const account = await cli.session.changePassword();
      cli.print([`The password of ${account.email} is changed; the vault opens with the new one.`], {
        passwordChanged: { account },
      });
      return 0;
    });
  },
});
