// A new password (a new account's, or `account password`'s): LATCHKEY_NEW_PASSWORD, else LATCHKEY_PASSWORD, or typed twice without echo so a typo does not lock the user out.

import { NEW_PASSWORD_ENV, PASSWORD_ENV, type EnvironmentSecrets } from './environmentSecrets.js';
import { readSecret } from './readSecret.js';
import type { CliIo } from './registry.js';
import { UsageError } from './UsageError.js';

/** Bytes the caller zeroes. The relying party checks the length rule (at least 8 characters). */
export async function confirmNewPassword(io: CliIo, secrets: EnvironmentSecrets, email: string): Promise<Buffer> {
  const env = secrets.has(NEW_PASSWORD_ENV) ? NEW_PASSWORD_ENV : PASSWORD_ENV;
  const password = await readSecret(io, secrets, {
    env,
    question: `New password for ${email}: `,
    what: 'the password',
  });
  if (secrets.has(env)) return password;
  const again = await readSecret(io, secrets, {
    env: PASSWORD_ENV,
    question: 'The same password again: ',
    what: 'the password',
  }).catch((error: unknown) => {
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
