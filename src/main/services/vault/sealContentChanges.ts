// Turns a change of VaultContent into sealed records: each entry or group that differs is written, each one gone is a tombstone.

import { zeroize } from '../../secrets/zeroize.js';
import type { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';
import type { VaultContent, VaultIcon } from '../../vault/entries/index.js';
import { deleteEntry, putEntry } from '../../vault/file/entryRecords.js';
import type { EntryRecord } from '../../vault/file/vaultFileSchema.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';
import { encodeEntryRecord, encodeGroupRecord, encodeIconRecord } from './vaultRecords.js';

/**
 * The records `after`'s changes seal, by id, for the caller to put in the vault in one copy (withRecords) and, being
 * few, to journal. The content functions (createGroup, editEntry...) return new objects only for what they changed, so
 * an entry or group is rewritten exactly when it is no longer the same object: an unchanged record keeps its clock,
 * which the sync merge relies on to let the other desktop's edit of it win.
 */
export function sealContentChanges(
  vault: UnlockedVault,
  before: VaultContent,
  after: VaultContent,
  clock: HybridLogicalClock,
): Record<string, EntryRecord> {
  // Each record is sealed against a copy without records: putEntry on the whole vault copies every record per call,
  // which made an import of 10,000 entries take half a minute.
  const bare: UnlockedVault = { ...vault, body: { ...vault.body, entries: {} } };
  const records: Record<string, EntryRecord> = {};
  const keep = (id: string, sealed: UnlockedVault) => {
    records[id] = sealed.body.entries[id]!;
  };
  const put = (id: string, data: Buffer) => {
    try {
      keep(id, putEntry(bare, { id, data }, clock.tick()));
    } finally {
      zeroize(data);
    }
  };
  for (const [id, entry] of after.entries) if (before.entries.get(id) !== entry) put(id, encodeEntryRecord(entry));
  for (const [id, group] of after.groups) if (before.groups.get(id) !== group) put(id, encodeGroupRecord(group));
  for (const id of before.entries.keys()) if (!after.entries.has(id)) keep(id, deleteEntry(bare, id, clock.tick()));
  for (const id of before.groups.keys()) if (!after.groups.has(id)) keep(id, deleteEntry(bare, id, clock.tick()));
  return records;
}

/** Icons written and icons gone in one change (icons are records of their own, outside VaultContent). */
export interface IconChanges {
  put: readonly VaultIcon[];
  drop: readonly string[];
}

/** The icon records `changes` seal (new ones) and tombstones for the ones gone, by id, as sealContentChanges. */
export function sealIconChanges(
  vault: UnlockedVault,
  changes: IconChanges,
  clock: HybridLogicalClock,
): Record<string, EntryRecord> {
  const bare: UnlockedVault = { ...vault, body: { ...vault.body, entries: {} } };
  const records: Record<string, EntryRecord> = {};
  for (const icon of changes.put) {
    const data = encodeIconRecord(icon);
    try {
      records[icon.id] = putEntry(bare, { id: icon.id, data }, clock.tick()).body.entries[icon.id]!;
    } finally {
      zeroize(data);
    }
  }
  for (const id of changes.drop) records[id] = deleteEntry(bare, id, clock.tick()).body.entries[id]!;
  return records;
}
