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
const MAGIC = Buffer.from('latchkey-open-cache/1\n', 'ascii');
const LAYOUT = 1;
const NONCE_BYTES = 12;
/** Base64 characters at the end of a ciphertext that hold its whole 16-byte tag (22 characters and the padding). */
const TAG_CHARACTERS = 24;

/**
 * What the cache holds of one record: the sealed write it was read from, named by its nonce (fresh for every write) and
 * the end of its ciphertext (the tag), and its JSON value (null for a tombstone).
 */
export type CachedRecord = readonly [nonce: string, tagText: string, value: unknown];

/**
 * True when `record` is still the write `cached` was read from. Short of a forgery of the ciphertext between nonce and
 * tag, or of the clock, which fails later when the record is decrypted on its own (a merge checks every tag, so does
 * the decryptor) and never changes what the cache holds, which only this vault's master key could have sealed.
 */
export function isCachedWrite(cached: CachedRecord, record: EntryRecord): boolean {
  return cached[0] === record.nonce && record.ciphertext.endsWith(cached[1]) && (cached[2] === null) === record.deleted;
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
  const records: Record<string, CachedRecord> = {};
  for (const [id, record] of Object.entries(vault.body.entries)) {
    const value = record.deleted ? null : values.valueOf(id);
    if (value !== undefined) records[id] = [record.nonce, record.ciphertext.slice(-TAG_CHARACTERS), value];
  }
  const plaintext = Buffer.from(JSON.stringify(records), 'utf8');
  const key = subkey(vault.master, 'openCache');
  try {
    const sealed = seal(key, plaintext, openCacheAad(vault.body, [LAYOUT, values.layout]));
    return Buffer.concat([MAGIC, sealed.nonce, sealed.ciphertext]);
  } finally {
    zeroize(key);
    zeroize(plaintext);
  }
}

/** The records of an opened cache, by id. */
export interface OpenCache {
  record(id: string): CachedRecord | undefined;
}

/** No cache: every record is read from the vault. */
export const NO_OPEN_CACHE: OpenCache = { record: () => undefined };

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
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const records = parsed as Record<string, unknown>;
    return {
      record(id) {
        const item = Object.hasOwn(records, id) ? records[id] : undefined;
        // Sealed by Latchkey under this vault's key, so a wrong shape is a bug, not an attacker: read the record.
        return Array.isArray(item) && item.length === 3 && typeof item[0] === 'string' && typeof item[1] === 'string'
          ? (item as unknown as CachedRecord)
          : undefined;
      },
    };
  } catch {
    return undefined;
  } finally {
    zeroize(key);
    if (plaintext) zeroize(plaintext);
  }
}
