// Checks a signed-in account's password again before something sensitive (a secret revealed, an export): throttled.

import { findUser } from './findUser.js';
import { checkSecretAttempt } from '../sign-in/checkSecretAttempt.js';
import type { RpContext } from '../RpContext.js';
import type { Secret } from '../../secrets/secretBytes.js';

export interface ConfirmPasswordOptions {
  userId: string;
  /** Text, or UTF-8 bytes the caller zeroes afterwards. */
  password: Secret;
}

/**
 * Resolves when the password is the account's; otherwise the sign-in refusals (`password-wrong`, `throttled`): a wrong
 * attempt counts against the same throttle, so asking again is no faster way to guess the password.
 */
export async function confirmPassword(ctx: RpContext, options: ConfirmPasswordOptions): Promise<void> {
  const user = findUser(ctx.store.value, { id: options.userId });
  await checkSecretAttempt(ctx, { kind: 'password', email: user.email, secret: options.password });
}
