// The three ways an account signs in (DESIGN.md section 5): 2FAuth's complement, Ory's MFA, and passwordless.

import { z } from 'zod';

/**
 * password-or-key: the password alone, or a key alone (2FAuth's "complement": a lost key, sign in with the password).
 * password-and-key: the password, then a key once one is registered (Ory's MFA).
 * key-only: a key alone, the password no longer signs in (WebAuthn-only, passwordless).
 */
export const SIGN_IN_MODES = ['password-or-key', 'password-and-key', 'key-only'] as const;
export type SignInMode = (typeof SIGN_IN_MODES)[number];

export const signInModeSchema = z.enum(SIGN_IN_MODES);

/**
 * A new account's mode: the password and a key is stronger than either alone, and is what accounts did before modes
 * had names. The complement lets a stolen password in alone; key-only needs a key that verifies the user first.
 */
export const DEFAULT_SIGN_IN_MODE: SignInMode = 'password-and-key';

/** One sentence per mode, for the places where a mode is chosen (CLI help, the settings screen). */
export const SIGN_IN_MODE_EXPLANATIONS: Readonly<Record<SignInMode, string>> = {
  'password-or-key':
    'the password alone or a security key alone (with its PIN or fingerprint) signs in; a lost key is no loss, but a stolen password is enough',
  'password-and-key':
    'the password, then a security key (once one is registered); the default, and stronger than either alone',
  'key-only': 'a security key alone, with its PIN or fingerprint; the password no longer signs in (passwordless)',
};

/** Modes in which a key alone signs in: those sign-ins always require user verification, whatever the policy. */
export function keyAloneSignsIn(mode: SignInMode): boolean {
  return mode !== 'password-and-key';
}

/** Modes in which the password alone signs in. */
export function passwordAloneSignsIn(mode: SignInMode): boolean {
  return mode === 'password-or-key';
}
