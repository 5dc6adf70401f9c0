// Merges the entry records of two copies of one vault, entry by entry: tombstones stay, the later edit wins, HOTP
// counters take the maximum.

import { zeroize } from '../../secrets/zeroize.js';
import { compareHlc } from '../clock/HybridLogicalClock.js';
import { open, seal } from '../crypto/aesGcm.js';
import { entryAad, type VaultHeader } from '../crypto/additionalData.js';
import { subkey } from '../crypto/subkeys.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { base64, bytes } from '../file/encodedBytes.js';
import type { EntryRecord } from '../file/vaultFileSchema.js';
import {
  compareLiveRecords,
  compareRecordBytes,
  hotpCounter,
  withHotpCounter,
  type OpenedRecord,
} from './entryRecordOrder.js';

/**
 * Every entry of both copies, each record checked under the master key first: a merge must not carry a forged or
 * damaged record into the merged file, where it would then look authenticated by the copy it came from.
 */
export function mergeEntryRecords(
  master: Uint8Array,
  header: VaultHeader,
  a: Record<string, EntryRecord>,
  b: Record<string, EntryRecord>,
): Record<string, EntryRecord> {
  const key = subkey(master, 'entries');
  const opened: Buffer[] = [];
  const openRecord = (id: string, record: EntryRecord): OpenedRecord => {
    const plaintext = open(
      key,
      { nonce: bytes(record.nonce), ciphertext: bytes(record.ciphertext) },
      entryAad(header, id, record.hlc, record.deleted),
    );
    if (!plaintext) throw new VaultDamagedError({ part: `entry ${id}`, problem: 'fails its authentication tag' });
    opened.push(plaintext);
    if (record.deleted && plaintext.length)
      throw new VaultDamagedError({ part: `entry ${id}`, problem: 'is a tombstone with content' });
    return { record, plaintext };
  };
  try {
    const merged: Record<string, EntryRecord> = {};
    for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const fromA = a[id] && openRecord(id, a[id]);
      const fromB = b[id] && openRecord(id, b[id]);
      if (!fromA || !fromB) merged[id] = (fromA ?? fromB)!.record;
      else merged[id] = mergeRecord(key, header, id, fromA, fromB, opened);
    }
    return merged;
  } finally {
    zeroize(key);
    for (const plaintext of opened) zeroize(plaintext);
  }
}

/**
 * Deletion wins over any edit, earlier or later: an entry is deleted on purpose (an account closed, a secret that
 * leaked), while an edit may be incidental (showing an HOTP code writes the entry), and reviving a deleted secret
 * because another desktop showed its code would undo the person's decision. It also keeps the merge a join: the
 * tombstone is the top of each entry's history. Between tombstones, and between live records, the later clock wins.
 */
function mergeRecord(
  key: Buffer,
  header: VaultHeader,
  id: string,
  a: OpenedRecord,
  b: OpenedRecord,
  opened: Buffer[],
): EntryRecord {
  if (a.record.deleted || b.record.deleted) {
    if (a.record.deleted !== b.record.deleted) return a.record.deleted ? a.record : b.record;
    const order = compareHlc(a.record.hlc, b.record.hlc) || compareRecordBytes(a.record, b.record);
    return order >= 0 ? a.record : b.record;
  }
  const [winner, loser] = compareLiveRecords(a, b) >= 0 ? [a, b] : [b, a];
  const winnerCounter = hotpCounter(winner.plaintext);
  const loserCounter = hotpCounter(loser.plaintext);
  // A counter never goes back: a code shown on either desktop is spent, whichever copy's other fields win.
  if (winnerCounter === undefined || loserCounter === undefined || winnerCounter >= loserCounter) return winner.record;
  const plaintext = withHotpCounter(winner.plaintext, loserCounter);
  opened.push(plaintext);
  // The loser may already be the winner's content with the raised counter (a replica that merged before): reuse it.
  if (compareHlc(loser.record.hlc, winner.record.hlc) === 0 && plaintext.equals(loser.plaintext)) return loser.record;
  const sealed = seal(key, plaintext, entryAad(header, id, winner.record.hlc, false));
  return {
    hlc: winner.record.hlc,
    deleted: false,
    nonce: base64(sealed.nonce),
    ciphertext: base64(sealed.ciphertext),
  };
}
