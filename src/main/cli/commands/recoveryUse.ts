// `latchkey recovery use`: the password, the recovery code and a new key replace every other key; the new code is shown once.

import { withSession } from '../cliSession.js';
import { formatKey } from '../formatKey.js';
import { parseOptions } from '../parseOptions.js';
import { readSecret } from '../readSecret.js';
import { registerCommand } from '../registry.js';
import { onlyAccount, PASSWORD_ENV } from '../signIn.js';
import { UsageError } from '../registry.js';

export const RECOVERY_CODE_ENV = 'LATCHKEY_RECOVERY_CODE';

registerCommand('recovery use', {
  summary: 'lost your keys? the password and the recovery code register a new key and revoke all others',
  usage: 'latchkey recovery use [--email E] [--name N] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
    return withSession(globals, io, options.json === true, async (session) => {
      const email = options.email ?? onlyAccount(session)?.email;
      if (email === undefined) throw new UsageError('this data folder has several accounts: name the one to recover with --email E');
      // The password first, as 2FAuth's recovery form asks: the code alone must not take the account over.
      const password = await readSecret(io, { env: PASSWORD_ENV, question: `Password for ${email}: `, what: 'the password' });
      let creation;
      try {
        const code = await readSecret(io, { env: RECOVERY_CODE_ENV, question: `Recovery code for ${email}: `, what: 'the recovery code' });
        try {
          creation = await session.rp.startRecovery({ email, password, recoveryCode: code });
        } finally {
          code.fill(0);
        }
      } finally {
        password.fill(0);
      }
      io.err('Password and recovery code accepted. Now the new key.');
      const response = await session.create(creation);
      const { signedIn, revoked, recoveryCode } = await session.rp.finishRecovery({ response, ...(options.name === undefined ? {} : { displayName: options.name }) });
      const key = signedIn.key!;
      session.print(
        [
          `${signedIn.user.email} is recovered. New key:`,
          ...formatKey(key),
          '',
          revoked.length === 0 ? 'No other key was registered.' : `Revoked for good: ${revoked.map((r) => `"${r.display_name}"`).join(', ')}.`,
          `Sign-in mode: ${signedIn.user.sign_in_mode} (the password stays a way in; change it with "latchkey settings set sign-in MODE").`,
          '',
          `New recovery code: ${recoveryCode}`,
          '',
          'The old code no longer works. Write this one down: it is shown only this once.',
        ],
        { account: signedIn.user, key, revoked, recoveryCode },
      );
      return 0;
    });
  },
});
