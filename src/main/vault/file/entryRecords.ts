// Seals one entry under the master key with its UUID, clock and tombstone flag bound, and opens every live entry.

import { zeroize } from '../../secrets/zeroize.js';
import type { Hlc } from '../clock/HybridLogicalClock.js';
import { open, seal } from '../crypto/aesGcm.js';
import { entryAad } from '../crypto/additionalData.js';
import { subkey } from '../crypto/subkeys.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import type { UnlockedVault } from '../slots/unlock.js';
import type { EntryRecord } from './vaultFileSchema.js';
import { base64, bytes, uuid } from './encodedBytes.js';
import { carryWrittenRecords, freezeRecord } from './entryRecordText.js';
import { NO_OPEN_CACHE, type OpenCache } from './openCache.js';

/** An entry as this layer sees it: opaque JSON bytes under a UUID (src/main/vault/entries gives them meaning). */
export interface VaultEntry {
  id: string;
  data: Uint8Array;
}

function header(vault: UnlockedVault) {
  return { vault: vault.body.vault, epoch: vault.body.epoch };
}

function sealRecord(vault: UnlockedVault, id: string, data: Uint8Array, hlc: Hlc, deleted: boolean): UnlockedVault {
  if (!uuid.safeParse(id).success)
    throw new RangeError(
      `entry id must be a lower-case UUID, got ${id.length} characters that are not one (not quoted: a caller's mistake may pass anything)`,
    );
  const key = subkey(vault.master, 'entries');
  try {
    const sealed = seal(key, data, entryAad(header(vault), id, hlc, deleted));
    const record = freezeRecord(id, {
      hlc: { ...hlc },
      deleted,
      nonce: base64(sealed.nonce),
      ciphertext: base64(sealed.ciphertext),
    });
    const entries = { ...vault.body.entries, [id]: record };
    carryWrittenRecords(vault.body.entries, entries, [id]);
    return { ...vault, body: { ...vault.body, entries } };
  } finally {
    zeroize(key);
  }
}

/**
 * `vault` with `records` written in, in one copy: records sealed by putEntry or deleteEntry against a copy of it without
 * records (sealContentChanges does so, since a putEntry per record of an import would copy the whole vault each time).
 */
export function withRecords(vault: UnlockedVault, records: Readonly<Record<string, EntryRecord>>): UnlockedVault {
  const entries = { ...vault.body.entries, ...records };
  carryWrittenRecords(vault.body.entries, entries, Object.keys(records));
  return { ...vault, body: { ...vault.body, entries } };
}

/** Writes (adds or replaces) an entry with a fresh nonce. */
export function putEntry(vault: UnlockedVault, entry: VaultEntry, hlc: Hlc): UnlockedVault {
  return sealRecord(vault, entry.id, entry.data, hlc, false);
}

/** Replaces an entry with a tombstone: no content, only the authenticated fact that it was deleted, and when. */
export function deleteEntry(vault: UnlockedVault, id: string, hlc: Hlc): UnlockedVault {
  return sealRecord(vault, id, new Uint8Array(0), hlc, true);
}

/** Every entry that is not a tombstone, decrypted; any record failing its tag throws, naming the entry. */
export function openEntries(vault: UnlockedVault): VaultEntry[] {
  return openEntriesUsing(vault, NO_OPEN_CACHE, () => undefined);
}

/**
 * Every live entry: handed to `cached` with its value when `cache` holds the record's current sealed write, else
 * decrypted as openEntries does, which also checks each tombstone the cache does not vouch for.
 */
export function openEntriesUsing(
  vault: UnlockedVault,
  cache: OpenCache,
  cached: (id: string, value: unknown) => void,
): VaultEntry[] {
  const records = vault.body.entries;
  const served = cache.serve(records, (id, value) => {
    if (value !== null) cached(id, value);
  });
  if (served === 'all') return [];
  const key = subkey(vault.master, 'entries');
  const vaultHeader = header(vault);
  const opened: VaultEntry[] = [];
  try {
    for (const id in records) {
      if (served.has(id)) continue;
      const record = records[id]!;
      const data = open(
        key,
        { nonce: bytes(record.nonce), ciphertext: bytes(record.ciphertext) },
        entryAad(vaultHeader, id, record.hlc, record.deleted),
      );
      if (!data) throw new VaultDamagedError({ part: `entry ${id}`, problem: 'fails its authentication tag' });
      if (record.deleted) {
        if (data.length) throw new VaultDamagedError({ part: `entry ${id}`, problem: 'is a tombstone with content' });
        continue;
      }
      opened.push({ id, data });
    }
    return opened;
  } catch (error) {
    for (const { data } of opened) zeroize(data);
    throw error;
  } finally {
    zeroize(key);
  }
}
