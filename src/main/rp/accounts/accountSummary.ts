// The public view of an account that results and listings hand out: no hashes, no throttle state.

import type { UserRecord } from './userRecord.js';

export interface AccountSummary {
  id: string;
  email: string;
  created_at: string;
  /** WebAuthn only: a key alone signs in; off: the password, then a key when one is registered. */
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
    webauthn_only: user.webauthn_only,
    has_recovery_code: user.recovery_code !== null,
    key_count: user.credentials.length,
  };
}
