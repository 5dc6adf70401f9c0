// Changes an account's password: the current one checked as sign-in checks it (throttled, counted), the new one hashed.

import { findUser } from './findUser.js';
import { checkNewPassword } from './checkPassword.js';
import { accountSummary, type AccountSummary } from './accountSummary.js';
import { checkSecretAttempt } from '../sign-in/checkSecretAttempt.js';
import type { RpContext } from '../RpContext.js';
import { hashSecret } from '../../secrets/secretHash.js';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';

export interface ChangePasswordOptions {
  userId: string;
  /** Text, or UTF-8 bytes the caller zeroes afterwards. */
  currentPassword: Secret;
  newPassword: Secret;
}

/**
 * Needs only the current password: never a key (it may be lost, which is when people change passwords) and never the
 * recovery code. A wrong current password counts against the account's sign-in throttle, so this is no faster way to
 * guess it than signing in. The new one is checked before the current one is tried, so a too-short new password costs
 * no attempt.
 */
export async function changePassword(ctx: RpContext, options: ChangePasswordOptions): Promise<AccountSummary> {
  const user = findUser(ctx.store.value, { id: options.userId });
  const next = secretBytes(options.newPassword);
  try {
    checkNewPassword(next);
    await checkSecretAttempt(ctx, { kind: 'password', email: user.email, secret: options.currentPassword });
    const hash = await hashSecret({ secret: next, params: ctx.scrypt });
    const changed = await ctx.store.update((file) => {
      const draft = findUser(file, { id: user.id });
      draft.password = hash;
      return accountSummary(draft);
    });
    await ctx.audit.record({ event: 'password-changed', outcome: 'success', user_id: user.id, email: user.email });
    return changed;
  } finally {
    zeroize(next);
  }
}
