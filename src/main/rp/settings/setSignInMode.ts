// Switches an account between the three sign-in modes (password-or-key, password-and-key, key-only), never into a lock-out.

import { accountSummary, type AccountSummary } from '../accounts/accountSummary.js';
import { checkWayIn, MAKE_A_KEY_VERIFY } from './checkWayIn.js';
import { findUser } from '../accounts/findUser.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { SIGN_IN_MODES, type SignInMode } from './signInMode.js';

export interface SetSignInModeOptions {
  userId: string;
  mode: SignInMode;
  /** Checks only (the lock-out guard on a copy), nothing written: see RevokeKeyOptions.checkOnly. */
  checkOnly?: boolean;
}

/**
 * Checked inside the locked update against the account as it is on disk: key-only needs a usable key known to verify
 * the user (a key alone signs in only with a PIN or fingerprint); password-and-key under the policy `required` needs
 * one too when the account has keys; password-or-key is always possible, the password being mandatory.
 */
export async function setSignInMode(ctx: RpContext, options: SetSignInModeOptions): Promise<AccountSummary> {
  if (!(SIGN_IN_MODES as readonly string[]).includes(options.mode)) {
    throw new RelyingPartyError(
      'settings-invalid',
      `the sign-in mode ${JSON.stringify(options.mode)} does not exist; expected one of ${SIGN_IN_MODES.join(', ')}`,
    );
  }
  const rpId = ctx.store.value.settings.rp_id;
  const current = findUser(ctx.store.value, { id: options.userId });
  if (current.sign_in_mode === options.mode) return accountSummary(current);
  const change = (file: typeof ctx.store.value) => {
    const draft = findUser(file, { id: options.userId });
    const previous = draft.sign_in_mode;
    draft.sign_in_mode = options.mode;
    checkWayIn({
      after: draft,
      rpId,
      userVerification: ctx.userVerification.policy,
      explanation: `switching ${draft.email} to ${options.mode} is refused`,
      remedy:
        options.mode === 'key-only' && draft.credentials.every((c) => c.rp_id !== rpId)
          ? `Register a security key for ${rpId} that has a PIN or fingerprint first.`
          : `${MAKE_A_KEY_VERIFY}, or choose password-or-key.`,
    });
    return { user: structuredClone(draft), from: previous };
  };
  if (options.checkOnly === true) return accountSummary(change(structuredClone(ctx.store.value)).user);
  const { user, from } = await ctx.store.update(change);
  await ctx.audit.record({
    event: 'mode-changed',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    setting: 'sign_in_mode',
    from,
    to: options.mode,
  });
  return accountSummary(user);
}
