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
const TEXT_OPEN = Buffer.from(`{\n${indentOf(RECORD_DEPTH)}`);
const TEXT_CLOSE = Buffer.from(`\n${indentOf(1)}}`);
const COMPACT_OPEN = Buffer.from('{');
const COMPACT_CLOSE = Buffer.from('}');

/**
 * An entries object's bytes as entriesBytes assembled them: both forms as the lists of buffers to write (brace, member,
 * separator, member... brace), with the ids and the records they were assembled from, in id order.
 */
interface AssembledEntries {
  ids: string[];
  records: unknown[];
  text: Buffer[];
  compact: Buffer[];
}

/**
 * Carried from one entries object to its copy with one record written (carryWrittenRecord): a save of 10,000 records
 * then patches two lists instead of walking every record again.
 */
const assembled = new WeakMap<object, AssembledEntries>();

/**
 * True when `entries` still holds exactly the records `parts` was assembled from, each frozen (freezeRecord), so that
 * its kept bytes are its bytes. A record replaced or edited in place since, or an id added, fails it.
 */
function stillHolds(parts: AssembledEntries, entries: Record<string, unknown>, ids: readonly string[]): boolean {
  if (parts.ids !== ids && (parts.ids.length !== ids.length || parts.ids.some((id, i) => id !== ids[i]))) return false;
  for (let i = 0; i < ids.length; i++) {
    const record = parts.records[i];
    if (entries[ids[i]!] !== record || !Object.isFrozen(record)) return false;
    if (!Object.isFrozen((record as EntryRecord).hlc)) return false;
  }
  return true;
}

function assemble(entries: Record<string, unknown>, ids: string[]): AssembledEntries {
  const parts: AssembledEntries = { ids, records: [], text: [TEXT_OPEN], compact: [COMPACT_OPEN] };
  for (let i = 0; i < ids.length; i++) {
    const record = entries[ids[i]!];
    const bytes = memberForms(ids[i]!, record);
    if (i > 0) {
      parts.compact.push(COMMA);
      parts.text.push(TEXT_SEPARATOR);
    }
    parts.records.push(record);
    parts.compact.push(bytes.compact);
    parts.text.push(bytes.text);
  }
  parts.compact.push(COMPACT_CLOSE);
  parts.text.push(TEXT_CLOSE);
  return parts;
}

/** `ids` with `id` put in its sorted place (a copy), and where: one insertion instead of sorting 10,000 ids again. */
function insertSorted(ids: readonly string[], id: string): { ids: string[]; at: number; added: boolean } {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ids[mid]! < id) low = mid + 1;
    else high = mid;
  }
  if (ids[low] === id) return { ids: ids as string[], at: low, added: false };
  return { ids: [...ids.slice(0, low), id, ...ids.slice(low)], at: low, added: true };
}

/**
 * `parts` with `record` written under `id`: replaced in place in the copied lists, or put in at its sorted place.
 * Member i sits at 1 + 2i in both lists (after the brace, separators between).
 */
function withRecord(parts: AssembledEntries, id: string, record: unknown): AssembledEntries {
  const forms = memberForms(id, record);
  const { ids, at, added } = insertSorted(parts.ids, id);
  const records = [...parts.records];
  const text = [...parts.text];
  const compact = [...parts.compact];
  if (!added) {
    records[at] = record;
    text[1 + 2 * at] = forms.text;
    compact[1 + 2 * at] = forms.compact;
  } else if (parts.ids.length === 0) {
    records.push(record);
    text.splice(1, 0, forms.text);
    compact.splice(1, 0, forms.compact);
  } else if (at < parts.ids.length) {
    records.splice(at, 0, record);
    text.splice(1 + 2 * at, 0, forms.text, TEXT_SEPARATOR);
    compact.splice(1 + 2 * at, 0, forms.compact, COMMA);
  } else {
    records.push(record);
    text.splice(text.length - 1, 0, TEXT_SEPARATOR, forms.text);
    compact.splice(compact.length - 1, 0, COMMA, forms.compact);
  }
  return { ids, records, text, compact };
}

/** Past this many records written at once (an import), the next save assembles the lists anew: as cheap, and simpler. */
const MAX_CARRIED_WRITES = 32;

/**
 * `to` is a copy of `from` with the records under `written` put in (a save): its sorted ids and assembled bytes are
 * `from`'s with those records patched in, instead of sorting and walking 10,000 records again on every save. Lists
 * that do not line up with `from`'s records are not carried (entriesBytes checks them on use all the same).
 */
export function carryWrittenRecords(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  written: readonly string[],
): void {
  let parts = assembled.get(from);
  if (!parts || written.length > MAX_CARRIED_WRITES || sortedIds.get(from) !== parts.ids) return;
  for (const id of written) parts = withRecord(parts, id, to[id]);
  sortedIds.set(to, parts.ids);
  assembled.set(to, parts);
}

/**
 * The `entries` member's value as bytes, in both forms: the compact one (the checksum's input, in order) and the file's,
 * each a list of buffers (the caller's own copies). Each record's bytes are kept, and the assembled lists are carried
 * from save to save, so a save neither encodes nor walks the other 10,000 records again.
 */
export function entriesBytes(entries: Record<string, unknown>): { text: Buffer[]; compact: Buffer[] } {
  const ids = sortedIdsOf(entries);
  if (!ids.length) return { text: [Buffer.from('{}')], compact: [Buffer.from('{}')] };
  let parts = assembled.get(entries);
  if (!parts || !stillHolds(parts, entries, ids)) {
    parts = assemble(entries, ids);
    assembled.set(entries, parts);
  }
  return { text: [...parts.text], compact: [...parts.compact] };
}
