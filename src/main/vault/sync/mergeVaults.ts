// Merges two opened copies of one vault (a synced folder's conflict copy beside the vault): entries and slots record by
// record, the slot set authenticated again under the master key.

import { timingSafeEqual } from 'node:crypto';
import { zeroize } from '../../secrets/zeroize.js';
import type { UnlockedVault } from '../slots/unlock.js';
import { withSlots } from '../slots/withSlots.js';
import { mergeEntryRecords } from './mergeEntryRecords.js';
import { mergeSlotSets } from './mergeSlotSets.js';
import { VaultMergeError } from './VaultMergeError.js';

/**
 * The merge of two copies of one vault, both opened: HOTP counters live inside the sealed entries, so merging them by
 * maximum needs the master key (docs/vault-format.md, "Sync"). Commutative, associative and idempotent in what the
 * merged copy holds (clocks, tombstones, entry contents, slots); an entry whose counter the merge raised is sealed
 * again with a fresh nonce, so only its bytes depend on the order of merges.
 *
 * Refuses, with a sentence, copies of different vaults, key epochs or modes: their records are under other keys or
 * wrap other shares, so no record-by-record merge exists. Throws VaultLockoutError when the merged slot set would open
 * nothing (each copy removed the other's last way in), VaultDamagedError when a record fails its tag.
 *
 * The result holds its own copy of the master key: lock it (lockVault) as well as the two copies given.
 */
export function mergeVaults(a: UnlockedVault, b: UnlockedVault): UnlockedVault {
  checkSameVault(a, b);
  const master = Buffer.from(a.master);
  try {
    const header = { vault: a.body.vault, epoch: a.body.epoch };
    const entries = mergeEntryRecords(master, header, a.body.entries, b.body.entries);
    const slots = mergeSlotSets(a.body.slots, b.body.slots);
    return withSlots({ master, body: { ...a.body, entries } }, a.body.mode, slots);
  } catch (error) {
    zeroize(master);
    throw error;
  }
}

function checkSameVault(a: UnlockedVault, b: UnlockedVault): void {
  if (a.body.vault !== b.body.vault)
    throw new VaultMergeError(
      'different-vault',
      `These are two different vaults (ids ${a.body.vault} and ${b.body.vault}), not two copies of one: Latchkey merges only copies of the same vault.`,
    );
  if (a.body.epoch !== b.body.epoch)
    throw new VaultMergeError(
      'different-epoch',
      `The two copies have key epochs ${a.body.epoch} and ${b.body.epoch}: the master key was replaced on one desktop, and records sealed under the old key cannot be merged with the new; open the copy with epoch ${Math.max(a.body.epoch, b.body.epoch)} and add again what the other holds.`,
    );
  if (a.body.mode !== b.body.mode)
    throw new VaultMergeError(
      'different-mode',
      `The two copies are in different sign-in modes (${a.body.mode} and ${b.body.mode}): their slots wrap different shares of the master key; set the same mode on both desktops, then merge.`,
    );
  if (a.master.length !== b.master.length || !timingSafeEqual(a.master, b.master))
    throw new VaultMergeError(
      'different-master-key',
      `The two copies of vault ${a.body.vault} at epoch ${a.body.epoch} opened to different master keys, which one vault never has: one copy was not written by Latchkey.`,
    );
}
