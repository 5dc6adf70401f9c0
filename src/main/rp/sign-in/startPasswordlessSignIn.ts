// Starts a sign-in with a key alone (WebAuthn-only accounts): with an email, its keys are listed; without, the key picks.

import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { buildSignInOptions } from './buildSignInOptions.js';
import { findUser } from '../accounts/findUser.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { usableCredentials } from '../keys/usableCredentials.js';

export interface StartPasswordlessSignInOptions {
  /**
   * The account, when the user typed it: any of its keys will do. Without it the key offers its discoverable
   * credentials for this RP and the user handle names the account. @default undefined (usernameless)
   */
  email?: string;
}

export async function startPasswordlessSignIn(ctx: RpContext, options: StartPasswordlessSignInOptions = {}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const user = options.email === undefined ? undefined : findUser(ctx.store.value, { email: options.email });
  if (user && !user.webauthn_only) {
    throw new RelyingPartyError('mode-mismatch', `${user.email} signs in with the password and then a key; sign in with the password first`);
  }
  const keys = user ? usableCredentials(user, ctx.store.value.settings.rp_id) : [];
  if (user && keys.length === 0) {
    throw new RelyingPartyError('credential-orphaned', `${user.email} has no key registered for RP ID ${ctx.store.value.settings.rp_id}; use the recovery code`);
  }
  const challenge = ctx.challenges.issue({ ceremony: 'passwordless', userId: user?.id, userVerification: ctx.userVerification.policy });
  return buildSignInOptions(ctx, challenge, keys);
}
