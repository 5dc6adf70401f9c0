// Starts a sign-in with a key alone (password-or-key and key-only accounts): with an email, its keys are listed; without, the key picks.

import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { buildSignInOptions } from './buildSignInOptions.js';
import { findUser } from '../accounts/findUser.js';
import { keyAloneSignsIn } from '../settings/signInMode.js';
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

/**
 * User verification is always required here, whatever the policy (Ory's passwordless does the same): a key alone
 * that signs in on a touch lets whoever holds a stolen key in. The policy governs only the key step after a password
 * and registrations.
 */
export async function startPasswordlessSignIn(
  ctx: RpContext,
  options: StartPasswordlessSignInOptions = {},
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const user = options.email === undefined ? undefined : findUser(ctx.store.value, { email: options.email });
  if (user && !keyAloneSignsIn(user.sign_in_mode)) {
    throw new RelyingPartyError(
      'mode-mismatch',
      `${user.email} signs in with the password and then a key (password-and-key); sign in with the password first`,
    );
  }
  const keys = user ? usableCredentials(user, ctx.store.value.settings.rp_id) : [];
  if (user && keys.length === 0) {
    const instead =
      user.sign_in_mode === 'password-or-key' ? 'sign in with the password' : 'use the password and the recovery code';
    throw new RelyingPartyError(
      'credential-orphaned',
      `${user.email} has no key registered for RP ID ${ctx.store.value.settings.rp_id}; ${instead}`,
    );
  }
  const challenge = ctx.challenges.issue({ ceremony: 'passwordless', userId: user?.id, userVerification: 'required' });
  return buildSignInOptions(ctx, challenge, keys);
}
