// The lock-out guard (Ory's rule): refuse a change that would leave an account with no usable way to sign in.

import { RelyingPartyError } from '../RelyingPartyError.js';
import { usableCredentials } from '../keys/usableCredentials.js';
import type { UserRecord } from '../accounts/userRecord.js';
import type { UserVerificationPolicy } from './rpSettings.js';
import { verifyingCredentials } from '../keys/verifyingCredentials.js';

export interface CheckWayInOptions {
  /** The account as it would be after the change. */
  after: Readonly<UserRecord>;
  /** The RP ID in force after the change: keys bound to another one do not sign in. */
  rpId: string;
  /** The user verification policy in force after the change; it governs the key step after the password. */
  userVerification: UserVerificationPolicy;
  /** What is refused, e.g. `turning key-only on is refused`. */
  explanation: string;
  /** What to do instead, one or two sentences. */
  remedy: string;
}

/**
 * A way in, by mode: password-or-key always has the password. password-and-key has the password alone while no key is
 * usable, else the password and a usable key, which under the policy `required` must be one known to verify the user.
 * key-only needs a usable key known to verify the user, since a key alone signs in only with user verification. The
 * recovery code does not count: it is the way back after a loss, not a way in by design. Throws `lockout` with
 * `explanation`, why no way in would remain, and `remedy`.
 */
export function checkWayIn(options: CheckWayInOptions): void {
  const { after, rpId } = options;
  if (after.sign_in_mode === 'password-or-key') return;
  const usable = usableCredentials(after, rpId);
  const verifying = verifyingCredentials(after, rpId);
  if (verifying.length > 0) return;
  let why: string;
  if (after.sign_in_mode === 'password-and-key') {
    if (usable.length === 0 || options.userVerification !== 'required') return;
    why = `${after.email} would sign in with the password and then a key, the user verification policy "required" makes that key check a PIN or fingerprint, but none of its ${usable.length} key(s) has verified the user here yet`;
  } else if (usable.length > 0) {
    why = `${after.email} would sign in with a security key alone, which needs user verification (a PIN or fingerprint), but none of its ${usable.length} key(s) has verified the user here yet`;
  } else {
    const orphaned = after.credentials.length;
    const keys =
      orphaned > 0 ? `its ${orphaned} key(s) are bound to another RP ID than ${rpId}` : 'it would have no security key';
    why = `${after.email} would sign in with a security key only, but ${keys}`;
  }
  throw new RelyingPartyError(
    'lockout',
    `${options.explanation}: ${why}, so no way in would remain. ${options.remedy}`,
  );
}

/** The remedy when no key is known to verify the user: how a key becomes one. */
export const MAKE_A_KEY_VERIFY =
  'Set a PIN on one of its keys and sign in once with it (Latchkey then knows the key verifies the user), or register a key that has a PIN or fingerprint';
