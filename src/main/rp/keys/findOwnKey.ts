// Finds one of an account's own keys by credential ID, naming a revoked or foreign one as such.

import type { CredentialRecord } from './credentialRecord.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { UserRecord } from '../accounts/userRecord.js';

export function findOwnKey(user: UserRecord, credentialId: string): CredentialRecord {
  const key = user.credentials.find((c) => c.id === credentialId);
  if (key) return key;
  const revoked = user.revoked_credentials.find((c) => c.id === credentialId);
  if (revoked)
    throw new RelyingPartyError(
      'credential-revoked',
      `the key "${revoked.display_name}" (${credentialId}) was already revoked on ${revoked.revoked_at}`,
    );
  throw new RelyingPartyError('credential-unknown', `${user.email} has no key with credential ID ${credentialId}`);
}
