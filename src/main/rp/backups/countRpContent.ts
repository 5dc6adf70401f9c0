// What a relying-party.json holds, in the figures a person compares backups by: accounts and keys.

import type { RpStoreFile } from '../rpStoreFile.js';

export interface RpContentCount {
  accounts: number;
  /** Registered keys, revoked ones not counted. */
  keys: number;
}

export function countRpContent(file: Readonly<RpStoreFile>): RpContentCount {
  return { accounts: file.users.length, keys: file.users.reduce((n, user) => n + user.credentials.length, 0) };
}
