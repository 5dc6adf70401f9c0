// Why a ceremony demanded user verification and how to get in anyway: the end of every refusal the requirement causes.

import type { EffectiveUserVerification } from './resolveUserVerification.js';
import { USER_VERIFICATION_VARIABLE } from './resolveUserVerification.js';

export interface UserVerificationWayOutOptions {
  /** A key alone signs in (password-or-key, key-only): user verification is required whatever the policy. */
  keyAlone: boolean;
  /** The policy in force and where it comes from. */
  effective: EffectiveUserVerification;
}

/**
 * Without it a user whose keys have no PIN meets "required" everywhere, including in the sign-in needed to lower the
 * policy and in `recovery use`, and the only way out (the environment variable) is mentioned nowhere.
 */
export function userVerificationWayOut(options: UserVerificationWayOutOptions): string {
  const setPin = 'set a PIN on the key (or enrol a fingerprint) and try again';
  if (options.keyAlone) {
    return `A key alone signs in only with user verification, whatever the policy: ${setPin}; an account in password-or-key mode can sign in with its password instead, and a lost or PIN-less key is replaced with the password and the recovery code (recovery).`;
  }
  const { policy, source } = options.effective;
  if (policy !== 'required') return `User verification is required here: ${setPin}.`;
  if (source === 'settings') {
    return `The user verification policy is "required" (a setting): ${setPin}. If none of your keys can, run Latchkey once with ${USER_VERIFICATION_VARIABLE}=preferred in the environment (or in the data folder's .env), sign in, and set the policy back to preferred.`;
  }
  const where = source === 'environment' ? 'the environment' : "the data folder's .env";
  return `${USER_VERIFICATION_VARIABLE}=required in ${where} makes user verification required: ${setPin}, or remove that variable (or set it to preferred).`;
}
