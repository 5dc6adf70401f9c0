// The sign-in mode an account has after a recovery: the password stays a way in, so key-only becomes password-and-key.

import type { SignInMode } from '../settings/signInMode.js';

/**
 * As 2FAuth's recovery turns WebAuthn-only off: the recovering user just proved the password, and a fresh key may
 * not verify the user yet, so key-only could leave no way in. The other modes keep the password already.
 */
export function modeAfterRecovery(mode: SignInMode): SignInMode {
  return mode === 'key-only' ? 'password-and-key' : mode;
}
