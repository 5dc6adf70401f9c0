// The open cache: every record's plaintext sealed together in one ciphertext, kept beside the vault, so that opening a
// large vault costs one decryption instead of one per record (Node's AES-GCM spends about 10 µs setting up each call:
// 100 ms for 10,000 entries before any parsing). The vault file stays the only truth; the cache is never synced, never
// written into the vault, and a record whose sealed bytes differ from what the cache was made from is decrypted on its
// own (docs/vault-format.md, "The open cache").

import { zeroize } from '../../secrets/zeroize.js';
import { open, seal } from '../crypto/aesGcm.js';
import { openCacheAad } from '../crypto/additionalData.js';
import { subkey } from '../crypto/subkeys.js';
import type { UnlockedVault } from '../slots/unlock.js';
import type { EntryRecord } from './vaultFileSchema.js';
import { decodeText } from './vaultText.js';

/** The first bytes of a cache file; the number is the layout, which the additional data binds too. */
const MAGIC = Buffer.from('latchkey-open-cache/2\n', 'ascii');
const LAYOUT = 2;
const NONCE_BYTES = 12;
/** A record's nonce in base64: 12 bytes, 16 characters. */
const NONCE_CHARACTERS = 16;
/** Base64 characters at the end of a ciphertext that hold its whole 16-byte tag (22 characters and the padding). */
const TAG_CHARACTERS = 24;
/** What names one sealed write of a record in the cache: its nonce, then the end of its ciphertext. */
const WRITE_CHARACTERS = NONCE_CHARACTERS + TAG_CHARACTERS;

/**
 * The plaintext, in columns rather than one object per record: the ids in ascending order, every record's write named
 * in one string (WRITE_CHARACTERS each, in the ids' order), the values (null for a tombstone). 10,000 records parse as
 * three values instead of 10,000 members and 30,000 small strings, which was most of the time opening took.
 */
interface CacheColumns {
  ids: string[];
  writes: string;
  values: unknown[];
}

/**
 * True when `record` is the write named at `at` in `writes`: its nonce (fresh for every write) and the end of its
 * ciphertext (the tag). Short of a forgery of the ciphertext between nonce and tag, or of the clock, which fails later
 * when the record is decrypted on its own (a merge checks every tag, so does the decryptor) and never changes what the
 * cache holds, which only this vault's master key could have sealed.
 */
function isWriteAt(writes: string, at: number, record: EntryRecord): boolean {
  const { nonce, ciphertext } = record;
  if (nonce.length !== NONCE_CHARACTERS || ciphertext.length < TAG_CHARACTERS || !writes.startsWith(nonce, at))
    return false;
  // Compared in place: a slice per record was garbage the collector then spent milliseconds on.
  const tag = ciphertext.length - TAG_CHARACTERS;
  const cached = at + NONCE_CHARACTERS;
  for (let i = 0; i < TAG_CHARACTERS; i++)
    if (writes.charCodeAt(cached + i) !== ciphertext.charCodeAt(tag + i)) return false;
  return true;
}

/** How the caller spells records in the cache, which this layer does not read. */
export interface CacheValues {
  /**
   * The spelling's version, bound as additional data: a Latchkey that spells or reads records differently ignores a
   * cache written by another instead of trusting values it would misread.
   */
  layout: number;
  /** A live record's JSON value, or undefined to leave the record out (it is read from the vault next time). */
  valueOf(id: string): unknown;
}

/**
 * The cache of `vault` as it is: for each record of the file, its write and its value. The caller writes the bytes
 * (0600) wherever its data folder keeps caches.
 */
export function sealOpenCache(vault: UnlockedVault, values: CacheValues): Buffer {
  const columns: CacheColumns = { ids: [], writes: '', values: [] };
  const writes: string[] = [];
  const records = vault.body.entries;
  for (const id of Object.keys(records).sort()) {
    const record = records[id]!;
    const value = record.deleted ? null : values.valueOf(id);
    if (value === undefined || record.nonce.length !== NONCE_CHARACTERS) continue;
    columns.ids.push(id);
    writes.push(record.nonce, record.ciphertext.slice(-TAG_CHARACTERS));
    columns.values.push(value);
  }
  columns.writes = writes.join('');
  const plaintext = Buffer.from(JSON.stringify(columns), 'utf8');
  const key = subkey(vault.master, 'openCache');
  try {
    const sealed = seal(key, plaintext, openCacheAad(vault.body, [LAYOUT, values.layout]));
    return Buffer.concat([MAGIC, sealed.nonce, sealed.ciphertext]);
  } finally {
    zeroize(key);
    zeroize(plaintext);
  }
}

/** What an opened cache holds. */
export interface OpenCache {
  /**
   * Hands `take` the value (null for a tombstone) of every record of `records` whose current write the cache holds,
   * and says which ids it served: all of them, or the set (every other record is to be read from the vault).
   */
  serve(records: Readonly<Record<string, EntryRecord>>, take: (id: string, value: unknown) => void): Served;
}

export type Served = 'all' | ReadonlySet<string>;

/** No cache: every record is read from the vault. */
export const NO_OPEN_CACHE: OpenCache = { serve: () => new Set() };

/** The value cached at `i` if it is the one for `record` under `id`. */
function servedValue({ writes, values }: CacheColumns, i: number, record: EntryRecord | undefined): unknown {
  if (!record || !isWriteAt(writes, i * WRITE_CHARACTERS, record)) return undefined;
  const value = values[i];
  return (value === null) === record.deleted ? value : undefined;
}

/**
 * Walks the cache's columns rather than the vault's records, so that the usual open (every record served) needs no
 * index of either. The ids must be strictly ascending (sealOpenCache sorts them; the walk stops at one that is not),
 * so none is served twice and a count of the served equal to the records' means all of them.
 */
function serve(
  columns: CacheColumns,
  records: Readonly<Record<string, EntryRecord>>,
  take: (id: string, value: unknown) => void,
): Served {
  const { ids } = columns;
  let served = 0;
  let end = 0;
  for (let previous = ''; end < ids.length; end++) {
    const id = ids[end];
    if (typeof id !== 'string' || id <= previous) break;
    previous = id;
    const value = servedValue(columns, end, Object.hasOwn(records, id) ? records[id] : undefined);
    if (value === undefined) continue;
    take(id, value);
    served++;
  }
  if (served === Object.keys(records).length) return 'all';
  // Some records changed since the cache was written: name the ones served, for the caller to read the rest.
  const set = new Set<string>();
  for (let i = 0; i < end; i++) {
    const id = ids[i]!;
    if (servedValue(columns, i, Object.hasOwn(records, id) ? records[id] : undefined) !== undefined) set.add(id);
  }
  return set;
}

function isColumns(value: unknown): value is CacheColumns {
  if (value === null || typeof value !== 'object') return false;
  const { ids, writes, values } = value as Record<string, unknown>;
  return (
    Array.isArray(ids) &&
    Array.isArray(values) &&
    typeof writes === 'string' &&
    values.length === ids.length &&
    writes.length === ids.length * WRITE_CHARACTERS
  );
}

/**
 * The records of a cache file, or undefined when it is not one this vault can use: another layout, another vault or
 * key epoch, damaged or forged bytes. Nothing is lost then: every record is read from the vault instead. The
 * decrypted bytes are zeroed once parsed (the values hold the entries' secrets, as the records do once read).
 */
export function openOpenCache(vault: UnlockedVault, data: Uint8Array, valuesLayout: number): OpenCache | undefined {
  const file = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (file.length < MAGIC.length + NONCE_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const key = subkey(vault.master, 'openCache');
  let plaintext: Buffer | undefined;
  try {
    plaintext = open(
      key,
      {
        nonce: file.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES),
        ciphertext: file.subarray(MAGIC.length + NONCE_BYTES),
      },
      openCacheAad(vault.body, [LAYOUT, valuesLayout]),
    );
    if (!plaintext) return undefined;
    const parsed: unknown = JSON.parse(decodeText(plaintext));
    // Sealed by Latchkey under this vault's key, so another shape is a bug, not an attacker: read every record.
    if (!isColumns(parsed)) return undefined;
    return { serve: (records, take) => serve(parsed, records, take) };
  } catch {
    return undefined;
  } finally {
    zeroize(key);
    if (plaintext) zeroize(plaintext);
  }
}
