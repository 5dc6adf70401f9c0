// Revokes a key for good, after explicit confirmation, refusing to leave an account without a way in.

import { checkWayIn, MAKE_A_KEY_VERIFY } from '../settings/checkWayIn.js';
import type { RevokedCredential } from './credentialRecord.js';
import { findOwnKey } from './findOwnKey.js';
import { findUser } from '../accounts/findUser.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { verifyingCredentials } from './verifyingCredentials.js';

export interface RevokeKeyOptions {
  userId: string;
  credentialId: string;
  /** Must be `true`: revocation is permanent, so the caller proves it asked the user. */
  confirm: boolean;
  /**
   * The user agreed to turn WebAuthn-only off (key-only becomes password-and-key), which revoking the last key of a
   * key-only account known to verify the user requires (the password, then a key, becomes the way in). @default false
   */
  turnOffWebAuthnOnly?: boolean;
  /**
   * Checks only: the same checks on a copy, nothing written or recorded. The services ask it before they change the
   * vault's slots, so that the relying party's refusal comes first and a vault change never precedes a refused one.
   */
  checkOnly?: boolean;
}

export interface RevokeKeyResult {
  revoked: RevokedCredential;
  /** WebAuthn-only was turned off by this revocation. */
  webAuthnOnlyTurnedOff: boolean;
}

export async function revokeKey(ctx: RpContext, options: RevokeKeyOptions): Promise<RevokeKeyResult> {
  if (options.confirm !== true) {
    throw new RelyingPartyError(
      'confirmation-required',
      'revoking a key is permanent (the key can never sign in here again): ask the user, then pass confirm: true',
    );
  }
  const rpId = ctx.store.value.settings.rp_id;
  const change = (file: typeof ctx.store.value) => {
    const user = findUser(file, { id: options.userId });
    const key = findOwnKey(user, options.credentialId);
    user.credentials = user.credentials.filter((c) => c.id !== key.id);
    let webAuthnOnlyTurnedOff = false;
    const lastWayIn = user.sign_in_mode === 'key-only' && verifyingCredentials(user, rpId).length === 0;
    if (lastWayIn && options.turnOffWebAuthnOnly === true) {
      user.sign_in_mode = 'password-and-key';
      webAuthnOnlyTurnedOff = true;
    }
    checkWayIn({
      after: user,
      rpId,
      userVerification: ctx.userVerification.policy,
      explanation: `revoking "${key.display_name}" is refused`,
      remedy:
        user.sign_in_mode === 'key-only'
          ? 'Confirm turning WebAuthn-only off (turnOffWebAuthnOnly: true) to sign in with the password again, or register another key with a PIN or fingerprint first.'
          : `${MAKE_A_KEY_VERIFY} first, or revoke the keys that cannot verify the user too.`,
    });
    const revoked: RevokedCredential = {
      id: key.id,
      display_name: key.display_name,
      revoked_at: new Date(ctx.now()).toISOString(),
      reason: 'revoked',
    };
    user.revoked_credentials.push(revoked);
    return { revoked, webAuthnOnlyTurnedOff, email: user.email };
  };
  if (options.checkOnly === true) {
    const checked = change(structuredClone(ctx.store.value));
    return { revoked: checked.revoked, webAuthnOnlyTurnedOff: checked.webAuthnOnlyTurnedOff };
  }
  const result = await ctx.store.update(change);
  await ctx.audit.record({
    event: 'key-revoked',
    outcome: 'success',
    user_id: options.userId,
    email: result.email,
    credential_id: result.revoked.id,
    display_name: result.revoked.display_name,
    reason: 'revoked',
  });
  if (result.webAuthnOnlyTurnedOff) {
    await ctx.audit.record({
      event: 'mode-changed',
      outcome: 'success',
      user_id: options.userId,
      email: result.email,
      setting: 'sign_in_mode',
      from: 'key-only',
      to: 'password-and-key',
      reason: 'last-key-revoked',
    });
  }
  return { revoked: result.revoked, webAuthnOnlyTurnedOff: result.webAuthnOnlyTurnedOff };
}
