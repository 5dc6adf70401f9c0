// The vault's journal: changes appended as sealed records, one line each, until they are folded into the vault file
// (docs/vault-format.md, "The journal"). Appending one line is what makes a change durable without rewriting the file.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../crypto/canonicalJson.js';
import type { VaultHeader } from '../crypto/additionalData.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { checkEntryRecord } from './checkEntryRecord.js';
import { UUID } from './encodedBytes.js';
import type { EntryRecord } from './vaultFileSchema.js';

/** One change: the records it wrote, sealed under the master key of the vault and epoch it names. */
export interface JournalChange extends VaultHeader {
  records: Readonly<Record<string, EntryRecord>>;
}

/** What a journal's bytes hold. */
export interface ReadJournal {
  /** The changes, in the order they were made, up to the first damaged one. */
  changes: JournalChange[];
  /** The first change that fails its checks (counted from 1), and why; the changes after it are not read. */
  damage?: { change: number; problem: string };
  /**
   * Bytes after the last complete line: an append that a crash cut short. It was never acknowledged (the append
   * returns only once the whole line is on disk), so it is dropped.
   */
  unfinishedBytes: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const DIGEST_CHARS = 64;
const MEMBERS = ['epoch', 'records', 'vault'];

/**
 * One change as a journal line: its canonical compact JSON, a space, the SHA-256 of that JSON in lower-case hex, a
 * newline. The digest tells a changed byte (damage) from a line a crash cut short (no newline yet).
 */
export function journalLine(header: VaultHeader, records: Readonly<Record<string, EntryRecord>>): Buffer {
  if (Object.keys(records).length === 0) throw new RangeError('a journal change holds at least one record');
  const json = Buffer.from(canonicalJson({ vault: header.vault, epoch: header.epoch, records }), 'utf8');
  return Buffer.concat([json, Buffer.from(` ${digest(json)}\n`, 'latin1')]);
}

/** Reads a journal's bytes; never throws for what they hold (damage is reported in the result). */
export function parseJournal(data: Uint8Array): ReadJournal {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const changes: JournalChange[] = [];
  let start = 0;
  for (let number = 1; start < bytes.length; number++) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) {
      // No newline: a line cut short by a crash (just before its newline, it is whole), or a whole line whose newline
      // byte was changed. Both hold a complete change: kept, so that one changed byte never drops an acknowledged
      // change unnoticed. Anything else is an append that never finished, and never returned.
      const tail = bytes.subarray(start);
      for (const line of [tail, tail.subarray(0, tail.length - 1)]) {
        const whole = line.length > DIGEST_CHARS ? readLine(line) : undefined;
        if (whole && !(whole instanceof Error)) return { changes: [...changes, whole], unfinishedBytes: 0 };
      }
      return { changes, unfinishedBytes: tail.length };
    }
    const change = readLine(bytes.subarray(start, end));
    if (change instanceof Error)
      return { changes, damage: { change: number, problem: change.message }, unfinishedBytes: 0 };
    changes.push(change);
    start = end + 1;
  }
  return { changes, unfinishedBytes: 0 };
}

function digest(json: Uint8Array): string {
  return createHash('sha256').update(json).digest('hex');
}

/** One line without its newline: the change, or an Error whose message says what is wrong (never the content). */
function readLine(line: Buffer): JournalChange | Error {
  const split = line.length - DIGEST_CHARS - 1;
  if (split < 2 || line[split] !== SPACE) return new Error('does not end with a space and a 64-digit digest');
  const json = line.subarray(0, split);
  if (line.subarray(split + 1).toString('latin1') !== digest(json))
    return new Error('does not match its digest (a changed byte)');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return new Error('is not JSON, though its digest matches');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Error('is not a JSON object');
  const change = value as Record<string, unknown>;
  const names = Object.keys(change).sort();
  if (names.join() !== MEMBERS.join()) return new Error(`does not have exactly the members ${MEMBERS.join(', ')}`);
  if (typeof change.vault !== 'string' || !UUID.test(change.vault)) return new Error('has no vault UUID');
  if (!Number.isInteger(change.epoch) || (change.epoch as number) < 1 || (change.epoch as number) > 0x7fffffff)
    return new Error('has no key epoch (an integer from 1)');
  const records = change.records;
  if (records === null || typeof records !== 'object' || Array.isArray(records) || Object.keys(records).length === 0)
    return new Error('has no records');
  try {
    for (const [id, record] of Object.entries(records)) checkEntryRecord(id, record);
  } catch (error) {
    if (!(error instanceof VaultDamagedError)) throw error;
    return new Error(`holds a record that ${error.problem} (${error.part.replace(/^member entries/, 'record')})`);
  }
  return { vault: change.vault, epoch: change.epoch as number, records: records as Record<string, EntryRecord> };
}
