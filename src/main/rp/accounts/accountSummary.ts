// The public view of an account that results and listings hand out: no hashes, no throttle state.

import type { SignInMode } from '../settings/signInMode.js';
import type { UserRecord } from './userRecord.js';

export interface AccountSummary {
  id: string;
  email: string;
  created_at: string;
  /** password-or-key, password-and-key or key-only (settings/signInMode.ts). */
  sign_in_mode: SignInMode;
  /** True for key-only alone, as before modes had names, so older --json readers keep their meaning. */
  webauthn_only: boolean;
  /** Whether an unused recovery code exists (it is never shown again after sign-up or regeneration). */
  has_recovery_code: boolean;
  key_count: number;
}

export function accountSummary(user: Readonly<UserRecord>): AccountSummary {
  return {
    id: user.id,
    email: user.email,
    created_at: user.created_at,
    sign_in_mode: user.sign_in_mode,
    webauthn_only: user.sign_in_mode === 'key-only',
    has_recovery_code: user.recovery_code !== null,
    key_count: user.credentials.length,
  };
}
