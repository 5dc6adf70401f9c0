// Finds where a credential ID is known: an active key of some account, a revoked one, or nowhere.

import type { CredentialRecord, RevokedCredential } from './credentialRecord.js';
import type { RpStoreFile } from '../rpStoreFile.js';
import type { UserRecord } from '../accounts/userRecord.js';

export type CredentialLookup =
  | { state: 'active'; user: UserRecord; credential: CredentialRecord }
  | { state: 'revoked'; user: UserRecord; revoked: RevokedCredential }
  | { state: 'unknown' };

export function findCredential(file: Readonly<RpStoreFile>, credentialId: string): CredentialLookup {
  for (const user of file.users) {
    const credential = user.credentials.find((c) => c.id === credentialId);
    if (credential) return { state: 'active', user, credential };
    const revoked = user.revoked_credentials.find((c) => c.id === credentialId);
    if (revoked) return { state: 'revoked', user, revoked };
  }
  return { state: 'unknown' };
}
