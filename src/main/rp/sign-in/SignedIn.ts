// The result of a completed sign-in: who, how, with which key, and the warnings the UI must show.

import type { AccountSummary } from '../accounts/accountSummary.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';

export interface SignInWarning {
  /**
   * clone-warning: the key used is flagged as possibly cloned (see docs/relying-party.md).
   * keys-orphaned: the account's keys are bound to another RP ID, so the password alone signed in.
   */
  code: 'clone-warning' | 'keys-orphaned';
  message: string;
}

export interface SignedIn {
  user: AccountSummary;
  /** password: password-or-key, or no usable key; password+key: second factor; key: a key alone (password-or-key, key-only); recovery: password, code and a new key. */
  method: 'password' | 'password+key' | 'key' | 'recovery';
  /** The key that signed in (after its counter and last_used_at were updated). */
  key?: CredentialRecord;
  warnings: SignInWarning[];
}
