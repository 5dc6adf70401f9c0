// How the merge ranks two copies of one entry record, and how it reads an entry's HOTP counter: no keys, no I/O.

import { compareHlc } from '../clock/HybridLogicalClock.js';
import { bytes } from '../file/encodedBytes.js';
import type { EntryRecord } from '../file/vaultFileSchema.js';

/** An entry record together with the plaintext it opened to (empty for a tombstone). */
export interface OpenedRecord {
  record: EntryRecord;
  plaintext: Buffer;
}

/** The HOTP counter in an entry's JSON, or undefined when the entry is no HOTP entry (or not an entries-module entry). */
export function hotpCounter(plaintext: Uint8Array): number | undefined {
  const entry = parseObject(plaintext);
  if (entry?.otp_type !== 'hotp' || !Number.isSafeInteger(entry.counter)) return undefined;
  return entry.counter as number;
}

/** The entry's JSON with `counter` replaced, members in their order: the bytes a merge raising the counter seals. */
export function withHotpCounter(plaintext: Uint8Array, counter: number): Buffer {
  const entry = parseObject(plaintext)!;
  return Buffer.from(JSON.stringify({ ...entry, counter }), 'utf8');
}

/**
 * The entry's bytes with its HOTP counter set to 0: ties between records of one clock are broken on everything but
 * the counter, which merges by maximum on its own. Ranking on it too would let a raised counter change which fields win.
 */
function withoutCounter(plaintext: Uint8Array): Buffer {
  return hotpCounter(plaintext) === undefined ? Buffer.from(plaintext) : withHotpCounter(plaintext, 0);
}

/**
 * A total order on live records of one entry: the clock, then the content without its counter, then the record's own
 * bytes (nonce and ciphertext), so that every replica picks the same winner whatever the order of the copies.
 */
export function compareLiveRecords(a: OpenedRecord, b: OpenedRecord): number {
  const byClock = compareHlc(a.record.hlc, b.record.hlc);
  if (byClock !== 0) return byClock;
  const byContent = Buffer.compare(withoutCounter(a.plaintext), withoutCounter(b.plaintext));
  if (byContent !== 0) return byContent;
  return compareRecordBytes(a.record, b.record);
}

/** Orders two records of one clock and content by their nonce, then ciphertext: only reseals differ there. */
export function compareRecordBytes(a: EntryRecord, b: EntryRecord): number {
  return Buffer.compare(bytes(a.nonce), bytes(b.nonce)) || Buffer.compare(bytes(a.ciphertext), bytes(b.ciphertext));
}

function parseObject(plaintext: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(plaintext).toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // The file layer allows any bytes as an entry; what is not JSON has no counter to merge.
    return undefined;
  }
}
