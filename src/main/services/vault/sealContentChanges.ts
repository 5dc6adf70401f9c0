// Turns a change of VaultContent into sealed records: each entry or group that differs is written, each one gone is a tombstone.

import { zeroize } from '../../secrets/zeroize.js';
import type { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';
import type { VaultContent } from '../../vault/entries/index.js';
import { deleteEntry, putEntry } from '../../vault/file/entryRecords.js';
import type { UnlockedVault } from '../../vault/slots/unlock.js';
import { encodeEntryRecord, encodeGroupRecord } from './vaultRecords.js';

/**
 * The vault with `after`'s changes sealed in. The content functions (createGroup, editEntry...) return new objects only
 * for what they changed, so an entry or group is rewritten exactly when it is no longer the same object: an unchanged
 * record keeps its clock, which the sync merge relies on to let the other desktop's edit of it win.
 */
export function sealContentChanges(
  vault: UnlockedVault,
  before: VaultContent,
  after: VaultContent,
  clock: HybridLogicalClock,
): UnlockedVault {
  let next = vault;
  const put = (id: string, data: Buffer) => {
    try {
      next = putEntry(next, { id, data }, clock.tick());
    } finally {
      zeroize(data);
    }
  };
  for (const [id, entry] of after.entries) if (before.entries.get(id) !== entry) put(id, encodeEntryRecord(entry));
  for (const [id, group] of after.groups) if (before.groups.get(id) !== group) put(id, encodeGroupRecord(group));
  for (const id of before.entries.keys()) if (!after.entries.has(id)) next = deleteEntry(next, id, clock.tick());
  for (const id of before.groups.keys()) if (!after.groups.has(id)) next = deleteEntry(next, id, clock.tick());
  return next;
}
