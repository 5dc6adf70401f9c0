// Folds the journal's changes into an opened vault, record by record, by the sync merge's rules (mergeEntryRecords).

import { freezeRecord } from '../file/entryRecordText.js';
import { withRecords } from '../file/entryRecords.js';
import type { JournalChange } from '../file/vaultJournal.js';
import type { EntryRecord } from '../file/vaultFileSchema.js';
import type { UnlockedVault } from '../slots/unlock.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { mergeEntryRecords } from './mergeEntryRecords.js';

export interface AppliedJournal {
  /** The vault with every change that could be applied; the same object when none changed a record. */
  vault: UnlockedVault;
  /** Changes applied (those whose records were all in the vault already count too). */
  applied: number;
  /**
   * Why the changes from the first one that could not be applied on were not: another vault or key epoch (the vault
   * file was replaced since: another desktop's master key, a restored copy of another vault), or a record failing its
   * tag. The changes before it are applied.
   */
  stopped?: { change: number; reason: string };
}

/**
 * Each record of the journal is merged with the vault's record of the same id as a sync merge would (a tombstone
 * wins, then the later clock, HOTP counters by maximum), so a journal left by a crash is applied correctly even over a
 * vault file that another writer or a sync replaced meanwhile, and applying it twice changes nothing. Records already
 * in the vault as they are (the journal's changes were folded, then a crash came before the journal was removed) are
 * passed over without decrypting.
 */
export function applyJournal(vault: UnlockedVault, changes: readonly JournalChange[]): AppliedJournal {
  const header = { vault: vault.body.vault, epoch: vault.body.epoch };
  const merged: Record<string, EntryRecord> = {};
  let applied = 0;
  let stopped: AppliedJournal['stopped'];
  for (const [index, change] of changes.entries()) {
    if (change.vault !== header.vault || change.epoch !== header.epoch) {
      stopped = {
        change: index + 1,
        reason:
          change.vault !== header.vault
            ? 'it was written for another vault'
            : `it was written under key epoch ${change.epoch}, and the vault is now at epoch ${header.epoch} (its master key was replaced)`,
      };
      break;
    }
    try {
      const next: Record<string, EntryRecord> = {};
      for (const [id, record] of Object.entries(change.records)) {
        const current = merged[id] ?? vault.body.entries[id];
        if (current && sameRecord(current, record)) continue;
        const one = mergeEntryRecords(vault.master, header, current ? { [id]: current } : {}, { [id]: record });
        next[id] = freezeRecord(id, one[id]!);
      }
      Object.assign(merged, next);
      applied++;
    } catch (error) {
      if (!(error instanceof VaultDamagedError)) throw error;
      stopped = { change: index + 1, reason: `a record ${error.problem}` };
      break;
    }
  }
  const written = Object.keys(merged).length === 0 ? vault : withRecords(vault, merged);
  return { vault: written, applied, ...(stopped ? { stopped } : {}) };
}

function sameRecord(a: EntryRecord, b: EntryRecord): boolean {
  return (
    a.nonce === b.nonce &&
    a.ciphertext === b.ciphertext &&
    a.deleted === b.deleted &&
    a.hlc.wall === b.hlc.wall &&
    a.hlc.counter === b.hlc.counter &&
    a.hlc.device === b.hlc.device
  );
}
