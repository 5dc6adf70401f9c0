// Finds an account by id or by email (normalised first), or throws `user-unknown` naming what was looked for.

import { normalizeEmail } from './normalizeEmail.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpStoreFile } from '../rpStoreFile.js';
import type { UserRecord } from './userRecord.js';

export type UserKey = { id: string } | { email: string };

export function findUser(file: Readonly<RpStoreFile>, key: UserKey): UserRecord {
  const user =
    'id' in key
      ? file.users.find((u) => u.id === key.id)
      : file.users.find((u) => u.email === normalizeEmail(key.email));
  if (!user) {
    const what = 'id' in key ? `id ${key.id}` : `email ${key.email}`;
    throw new RelyingPartyError('user-unknown', `no account with ${what} exists in this data folder`);
  }
  return user;
}
