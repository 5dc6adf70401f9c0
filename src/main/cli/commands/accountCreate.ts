// `latchkey account create --email E`: a new account (email and password) and its recovery code, shown this once.

import { withSession } from '../cliSession.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

registerCommand('account create', {
  summary: 'create an account (email and password); prints its recovery code once',
  usage: 'latchkey account create --email E [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    if (options.email === undefined)
      throw new UsageError('--email E is required: the account\u2019s email is its name for signing in');
    const email = options.email;
    return withSession(globals, io, options.json === true, async (cli) => {
      const { user, recoveryCode } = await cli.session.signUp({ email });
      cli.print(
        [
          `Account created for ${user.email}.`,
          '',
          `Recovery code: ${recoveryCode}`,
          '',
          'Write it down and keep it away from your keys: it is shown only this once, and it is the only way back in',
          'if you lose your security keys ("latchkey recovery use"). Next: add a key with "latchkey key add".',
        ],
        { account: user, recoveryCode },
      );
      return 0;
    });
  },
});
