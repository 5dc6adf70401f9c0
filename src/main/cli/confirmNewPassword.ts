// The password for a new account: LATCHKEY_PASSWORD, or typed twice without echo so a typo does not lock the user out.

import { readSecret } from './readSecret.js';
import { UsageError, type CliIo } from './registry.js';
import { PASSWORD_ENV } from './signIn.js';

/** Bytes the caller zeroes. The relying party checks the length rule (at least 8 characters). */
export async function confirmNewPassword(io: CliIo, email: string): Promise<Buffer> {
  const fromEnv = process.env[PASSWORD_ENV] !== undefined && process.env[PASSWORD_ENV] !== '';
  const password = await readSecret(io, { env: PASSWORD_ENV, question: `New password for ${email}: `, what: 'the password' });
  if (fromEnv) return password;
  const again = await readSecret(io, { env: PASSWORD_ENV, question: 'The same password again: ', what: 'the password' }).catch((error: unknown) => {
    password.fill(0);
    throw error;
  });
  try {
    if (!password.equals(again)) {
      password.fill(0);
      throw new UsageError('the two passwords differ; nothing was created');
    }
    return password;
  } finally {
    again.fill(0);
  }
}
