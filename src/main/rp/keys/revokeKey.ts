// Revokes a key for good, after explicit confirmation, refusing to leave a WebAuthn-only account without a way in.

import { checkWayIn } from '../settings/checkWayIn.js';
import type { RevokedCredential } from './credentialRecord.js';
import { findOwnKey } from './findOwnKey.js';
import { findUser } from '../accounts/findUser.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';

export interface RevokeKeyOptions {
  userId: string;
  credentialId: string;
  /** Must be `true`: revocation is permanent, so the caller proves it asked the user. */
  confirm: boolean;
  /**
   * The user agreed to turn WebAuthn-only off, which revoking the last usable key of a WebAuthn-only account requires
   * (the password, then a key once one is registered again, becomes the way in). @default false
   */
  turnOffWebAuthnOnly?: boolean;
}

export interface RevokeKeyResult {
  revoked: RevokedCredential;
  /** WebAuthn-only was turned off by this revocation. */
  webAuthnOnlyTurnedOff: boolean;
}

export async function revokeKey(ctx: RpContext, options: RevokeKeyOptions): Promise<RevokeKeyResult> {
  if (options.confirm !== true) {
    throw new RelyingPartyError('confirmation-required', 'revoking a key is permanent (the key can never sign in here again): ask the user, then pass confirm: true');
  }
  const rpId = ctx.store.value.settings.rp_id;
  const result = await ctx.store.update((file) => {
    const user = findUser(file, { id: options.userId });
    const key = findOwnKey(user, options.credentialId);
    user.credentials = user.credentials.filter((c) => c.id !== key.id);
    let webAuthnOnlyTurnedOff = false;
    const lastKey = user.webauthn_only && !user.credentials.some((c) => c.rp_id === rpId);
    if (lastKey && options.turnOffWebAuthnOnly === true) {
      user.webauthn_only = false;
      webAuthnOnlyTurnedOff = true;
    }
    checkWayIn(
      user,
      rpId,
      `revoking "${key.display_name}" is refused`,
      'Confirm turning WebAuthn-only off (turnOffWebAuthnOnly: true) to sign in with the password again, or register another key first.',
    );
    const revoked: RevokedCredential = { id: key.id, display_name: key.display_name, revoked_at: new Date(ctx.now()).toISOString(), reason: 'revoked' };
    user.revoked_credentials.push(revoked);
    return { revoked, webAuthnOnlyTurnedOff, email: user.email };
  });
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
    await ctx.audit.record({ event: 'mode-changed', outcome: 'success', user_id: options.userId, email: result.email, setting: 'webauthn_only', from: 'on', to: 'off', reason: 'last-key-revoked' });
  }
  return { revoked: result.revoked, webAuthnOnlyTurnedOff: result.webAuthnOnlyTurnedOff };
}
