// Starts adding a security key to an account: a registration challenge and the creation options for the WebAuthn client.

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { buildRegistrationOptions } from './buildRegistrationOptions.js';
import { findUser } from '../accounts/findUser.js';
import { keyAloneSignsIn } from '../settings/signInMode.js';
import type { RpContext } from '../RpContext.js';

export interface StartKeyRegistrationOptions {
  /** The signed-in account (the caller vouches for the session). */
  userId: string;
  /**
   * Ask for a discoverable credential, which can sign in without typing the email but takes one of the key's few
   * slots (25 on a YubiKey 5). @default 'required' where a key alone signs in (password-or-key, key-only), else 'discouraged'
   */
  residentKey?: 'required' | 'discouraged';
}

export async function startKeyRegistration(
  ctx: RpContext,
  options: StartKeyRegistrationOptions,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = findUser(ctx.store.value, { id: options.userId });
  const challenge = ctx.challenges.issue({
    ceremony: 'registration',
    userId: user.id,
    userVerification: ctx.userVerification.policy,
    residentKey: options.residentKey ?? (keyAloneSignsIn(user.sign_in_mode) ? 'required' : 'discouraged'),
  });
  return buildRegistrationOptions(ctx, { user, challenge });
}
