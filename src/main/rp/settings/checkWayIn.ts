// The lock-out guard (Ory's rule): refuse a change that would leave an account with no usable way to sign in.

import { RelyingPartyError } from '../RelyingPartyError.js';
import { usableCredentials } from '../keys/usableCredentials.js';
import type { UserRecord } from '../accounts/userRecord.js';

/**
 * The ways in are the password (second-factor mode: password, then a key if any is usable) or a usable key
 * (WebAuthn-only mode). The recovery code does not count: it is the way back after a loss, not a way in by design.
 * Throws `lockout` with `explanation` and the remedy when the account, as it would be after the change, has none.
 */
export function checkWayIn(after: Readonly<UserRecord>, rpId: string, explanation: string, remedy: string): void {
  if (!after.webauthn_only) return;
  if (usableCredentials(after, rpId).length > 0) return;
  const orphaned = after.credentials.length;
  const keys = orphaned > 0 ? `its ${orphaned} key(s) are bound to another RP ID than ${rpId}` : 'it would have no security key';
  throw new RelyingPartyError('lockout', `${explanation}: ${after.email} would sign in with a security key only, but ${keys}, so no way in would remain. ${remedy}`);
}
