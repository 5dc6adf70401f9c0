// The canonical JSON of a vault file's entries, compact and as indented in the file, written from a template and kept
// per record: the generic walk over 10,000 records was most of what saving a vault cost, and a save changes one record.

import { canonicalJsonAt, canonicalJson, indentOf, jsonString } from '../crypto/canonicalJson.js';
import { isCanonicalBase64 } from './encodedBytes.js';
import type { EntryRecord } from './vaultFileSchema.js';

/** How deep an entry record sits in the file: the file object, then `entries`. */
const RECORD_DEPTH = 2;
const OUTER = `\n${indentOf(RECORD_DEPTH)}`;
const MEMBER = `\n${indentOf(RECORD_DEPTH + 1)}`;
const INNER = `\n${indentOf(RECORD_DEPTH + 2)}`;

/** One member of `entries`, `"<id>": <record>`, in both layouts as UTF-8, with the values it was written from. */
interface MemberForms {
  compact: Buffer;
  text: Buffer;
  of: readonly unknown[];
}

/**
 * Records are replaced, never edited, by the vault code (putEntry, the merge): a record met again is written from this
 * cache. Its values are compared on each use all the same (a string reference compares in O(1)), so a record changed
 * in place is written anew rather than from a stale cache.
 */
const cache = new WeakMap<object, MemberForms>();
/** The sorted ids of an entries object, so that the compact form (the checksum's) and the text form sort once. */
const sortedIds = new WeakMap<object, string[]>();

function valuesOf(id: string, record: EntryRecord): unknown[] {
  const { hlc } = record;
  return [id, hlc, hlc.wall, hlc.counter, hlc.device, record.deleted, record.nonce, record.ciphertext];
}

/** The cached forms of `record` under `id` if it still holds what they were written from (and no member was added). */
function cachedForms(id: string, record: unknown): MemberForms | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const cached = cache.get(record);
  if (!cached) return undefined;
  const { hlc } = record as EntryRecord;
  if (hlc === null || typeof hlc !== 'object') return undefined;
  // A frozen record (the vault code freezes every record it seals or reads: freezeRecord) cannot have changed: only
  // its id is compared, so a save of 10,000 records skips the checks below on each.
  if (Object.isFrozen(record) && Object.isFrozen(hlc)) return cached.of[0] === id ? cached : undefined;
  return checkedForms(id, record as EntryRecord, cached);
}

function checkedForms(id: string, record: EntryRecord, cached: MemberForms): MemberForms | undefined {
  const { hlc } = record;
  if (Object.keys(record).length !== 4 || Object.keys(hlc).length !== 3) return undefined;
  const values = valuesOf(id, record as EntryRecord);
  for (let i = 0; i < values.length; i++) if (values[i] !== cached.of[i]) return undefined;
  return cached;
}

/**
 * True when the template writes exactly what the generic walk would: the record's members and its clock's, no more, of
 * the types the template spells (a finite number is written by JSON.stringify as by String), base64 text that needs
 * no JSON escape. A record of another shape, which the format check refuses, still gets its generic canonical form, so
 * the checksum over it is the one the spec defines.
 */
function fitsTemplate(record: unknown): record is EntryRecord {
  if (record === null || typeof record !== 'object') return false;
  const { hlc, deleted, nonce, ciphertext } = record as Record<string, unknown>;
  if (typeof deleted !== 'boolean' || typeof nonce !== 'string' || typeof ciphertext !== 'string') return false;
  if (hlc === null || typeof hlc !== 'object') return false;
  const { wall, counter, device } = hlc as Record<string, unknown>;
  if (!Number.isFinite(wall) || !Number.isFinite(counter) || typeof device !== 'string') return false;
  if (Object.keys(record).length !== 4 || Object.keys(hlc).length !== 3) return false;
  return isCanonicalBase64(nonce, 0, Infinity) && isCanonicalBase64(ciphertext, 0, Infinity);
}

/** Joined from arrays rather than templates: each form is one flat string, which the file's join copies cheaply. */
function formsOf(id: string, record: EntryRecord): MemberForms {
  const { hlc, deleted, nonce, ciphertext } = record;
  const name = jsonString(id);
  const device = jsonString(hlc.device);
  const [counter, wall] = [String(hlc.counter), String(hlc.wall)];
  const compact = [
    `${name}:{"ciphertext":"`,
    ciphertext,
    `","deleted":${deleted},"hlc":{"counter":`,
    counter,
    ',"device":',
    device,
    ',"wall":',
    wall,
    '},"nonce":"',
    nonce,
    '"}',
  ].join('');
  const textForm = [
    `${name}: {${MEMBER}"ciphertext": "`,
    ciphertext,
    `",${MEMBER}"deleted": ${deleted},${MEMBER}"hlc": {${INNER}"counter": `,
    counter,
    `,${INNER}"device": `,
    device,
    `,${INNER}"wall": `,
    wall,
    `${MEMBER}},${MEMBER}"nonce": "`,
    nonce,
    `"${OUTER}}`,
  ].join('');
  return { compact: Buffer.from(compact, 'utf8'), text: Buffer.from(textForm, 'utf8'), of: valuesOf(id, record) };
}

function memberForms(id: string, record: unknown): { compact: Buffer; text: Buffer } {
  const cached = cachedForms(id, record);
  if (cached) return cached;
  if (!fitsTemplate(record)) {
    const name = jsonString(id);
    return {
      compact: Buffer.from(`${name}:${canonicalJson(record)}`, 'utf8'),
      text: Buffer.from(`${name}: ${canonicalJsonAt(record, RECORD_DEPTH)}`, 'utf8'),
    };
  }
  const forms = formsOf(id, record);
  cache.set(record, forms);
  return forms;
}

/**
 * The record, and its clock, made unchangeable, so that its kept bytes can be trusted without a check (cachedForms).
 * Bytes kept of it before, under `id`, are checked once more here (it may have changed since).
 */
export function freezeRecord(id: string, record: EntryRecord): EntryRecord {
  if (cache.has(record) && !cachedForms(id, record)) cache.delete(record);
  Object.freeze(record.hlc);
  return Object.freeze(record);
}

/**
 * A record written into a copy of `from` (putEntry): the copy's ids are the old ones, plus `id` if it is new, so the
 * sorted list is carried over (one insertion) instead of sorting 10,000 ids again on every save.
 */
export function carrySortedIds(from: Record<string, unknown>, to: Record<string, unknown>, id: string): void {
  const ids = sortedIds.get(from);
  if (!ids) return;
  if (Object.hasOwn(from, id)) {
    sortedIds.set(to, ids);
    return;
  }
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ids[mid]! < id) low = mid + 1;
    else high = mid;
  }
  sortedIds.set(to, [...ids.slice(0, low), id, ...ids.slice(low)]);
}

function sortedIdsOf(entries: Record<string, unknown>): string[] {
  const names = Object.keys(entries);
  let ids = sortedIds.get(entries);
  // The same names, checked rather than assumed: an entries object edited in place is sorted again.
  if (!ids || ids.length !== names.length || !ids.every((id) => Object.hasOwn(entries, id))) {
    ids = names.sort();
    sortedIds.set(entries, ids);
  }
  return ids;
}

const COMMA = Buffer.from(',');
const TEXT_SEPARATOR = Buffer.from(`,${OUTER}`);

/**
 * The `entries` member's value as bytes: its compact form fed to `hash` (the checksum's input, in order), and its file
 * form as the list of buffers to concatenate. Each record's bytes are kept, so a save neither joins nor encodes the
 * other 10,000 again.
 */
export function entriesBytes(entries: Record<string, unknown>, hash: { update(data: Uint8Array): unknown }): Buffer[] {
  const ids = sortedIdsOf(entries);
  if (!ids.length) {
    hash.update(Buffer.from('{}'));
    return [Buffer.from('{}')];
  }
  const text: Buffer[] = [Buffer.from(`{\n${indentOf(RECORD_DEPTH)}`)];
  const compact: Buffer[] = [Buffer.from('{')];
  for (let i = 0; i < ids.length; i++) {
    const bytes = memberForms(ids[i]!, entries[ids[i]!]);
    if (i > 0) {
      compact.push(COMMA);
      text.push(TEXT_SEPARATOR);
    }
    compact.push(bytes.compact);
    text.push(bytes.text);
  }
  compact.push(Buffer.from('}'));
  // One hash over one copy: cheaper than 20,000 small updates.
  hash.update(Buffer.concat(compact));
  text.push(Buffer.from(`\n${indentOf(1)}}`));
  return text;
}
