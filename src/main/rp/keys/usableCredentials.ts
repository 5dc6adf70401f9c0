// The keys that can sign an account in today: registered and bound to the RP ID currently set.

import type { CredentialRecord } from './credentialRecord.js';
import type { UserRecord } from '../accounts/userRecord.js';

export function usableCredentials(user: Readonly<UserRecord>, rpId: string): CredentialRecord[] {
  return user.credentials.filter((c) => c.rp_id === rpId);
}
