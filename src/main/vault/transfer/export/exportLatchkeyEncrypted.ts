// Writes entries and groups as a Latchkey vault file with a password slot only: the encrypted export any Latchkey opens.

import type { HybridLogicalClock } from '../../clock/HybridLogicalClock.js';
import { describeArgon2, isWeakerArgon2, MIN_ARGON2_PARAMS, type Argon2Params } from '../../crypto/argon2id.js';
import type { VaultEntry, VaultGroup } from '../../entries/index.js';
import { putEntry } from '../../file/entryRecords.js';
import { vaultFileBytes } from '../../file/vaultText.js';
import type { VaultFile } from '../../file/vaultFileSchema.js';
import { createVault } from '../../slots/createVault.js';
import type { UnlockedVault } from '../../slots/unlock.js';
import { zeroize } from '../../../secrets/zeroize.js';
import { exportRecordBytes } from './exportRecordBytes.js';

export interface ExportLatchkeyEncryptedOptions {
  /** The export's password (UTF-8 bytes; the caller zeroes them). It need not be the account's. */
  password: Uint8Array;
  /** Argon2id parameters of the password slot: calibrateArgon2's, never below MIN_ARGON2_PARAMS (unlock refuses those). */
  params: Argon2Params;
  /** Stamps the slot and every record. */
  clock: HybridLogicalClock;
}

/**
 * A new vault (its own UUID and master key, mode password-or-key) holding one record per group and per entry under the
 * same ids as in the account's vault, sealed as the app seals them. scripts/decrypt-vault.mjs opens it with the
 * password, and so does unlock(). Security keys and the recovery code have no slot in it: an export is opened on
 * another machine, where they may not be.
 */
export async function exportLatchkeyEncrypted(
  entries: readonly VaultEntry[],
  groups: readonly VaultGroup[],
  options: ExportLatchkeyEncryptedOptions,
): Promise<Buffer> {
  const { password, params, clock } = options;
  if (isWeakerArgon2(params, MIN_ARGON2_PARAMS))
    throw new RangeError(
      `the export's Argon2id parameters ${describeArgon2(params)} are below the floor ${describeArgon2(MIN_ARGON2_PARAMS)}, which every Latchkey refuses`,
    );
  const vault = await createVault({
    mode: 'password-or-key',
    slots: [{ type: 'password', password, params }],
    clock,
  });
  try {
    const records: VaultFile['entries'] = {};
    const seal = (id: string, data: Buffer) => {
      try {
        records[id] = sealedRecord(vault, id, data, clock);
      } finally {
        zeroize(data);
      }
    };
    for (const group of groups) seal(group.id, exportRecordBytes({ kind: 'group', group }));
    for (const entry of entries) seal(entry.id, exportRecordBytes({ kind: 'entry', entry }));
    return vaultFileBytes({ ...vault.body, entries: records });
  } finally {
    zeroize(vault.master);
  }
}

/**
 * putEntry on a copy without entries, keeping only the new record: putEntry copies the vault's entries for every call,
 * which for 10,000 entries would copy 50 million members.
 */
function sealedRecord(vault: UnlockedVault, id: string, data: Buffer, clock: HybridLogicalClock) {
  const empty: UnlockedVault = { ...vault, body: { ...vault.body, entries: {} } };
  const record = putEntry(empty, { id, data }, clock.tick()).body.entries[id];
  if (!record) throw new Error(`putEntry wrote no record for ${id}`);
  return record;
}
