// How relying-party.json is loaded and checked wherever it is read: the app, a backup listing, a restore.

import type { JsonFileSpec } from '../store/loadJsonFile.js';
import { describeScrypt, isWeakerScrypt, type ScryptParams } from '../secrets/scrypt.js';
import { RP_STORE_FORMAT, RP_STORE_VERSION, rpStoreFileSchema, type RpStoreFile } from './rpStoreFile.js';

/** What DamagedStoreError advises for a damaged relying-party.json that has a usable backup. */
export const RP_RESTORE_ADVICE =
  'run "latchkey restore" to list the backups with their dates, accounts and keys, and restore one (the damaged file is kept aside)';

/**
 * The schema, plus the floor on stored hashes: a hash below `minScrypt` (scrypt N = 2 passes the schema) makes the file
 * damaged, since Latchkey never writes one and a lowered cost only helps someone guessing offline.
 */
export function rpStoreSpec(minScrypt: ScryptParams): JsonFileSpec<RpStoreFile> {
  return {
    format: RP_STORE_FORMAT,
    version: RP_STORE_VERSION,
    schema: rpStoreFileSchema,
    validate: (file) => {
      for (const [u, user] of file.users.entries()) {
        const hashes = [
          ['password', user.password] as const,
          ...(user.recovery_code ? [['recovery code', user.recovery_code.hash] as const] : []),
        ];
        for (const [what, hash] of hashes) {
          if (isWeakerScrypt(hash, minScrypt)) {
            return `the ${what} hash of users.${u} uses scrypt ${describeScrypt(hash)}, weaker than the minimum ${describeScrypt(minScrypt)} (Latchkey never writes such a hash: the file was edited)`;
          }
        }
      }
      return undefined;
    },
  };
}
