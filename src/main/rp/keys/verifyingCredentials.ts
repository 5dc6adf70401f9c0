// The usable keys known to verify their user (PIN or fingerprint): the only ones a key-alone sign-in can succeed with.

import type { CredentialRecord } from './credentialRecord.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { usableCredentials } from './usableCredentials.js';

/**
 * "Can verify the user" is what the relying party has seen, never a guess: the key set the UV flag at registration or
 * in a later sign-in (finishKeySignIn records it in flags.user_verified). A key that got a PIN after its registration
 * counts once it signed in with that PIN; keys cannot lose a PIN without a reset, which destroys the credential.
 */
export function verifyingCredentials(user: Readonly<UserRecord>, rpId: string): CredentialRecord[] {
  return usableCredentials(user, rpId).filter((c) => c.flags.user_verified);
}
