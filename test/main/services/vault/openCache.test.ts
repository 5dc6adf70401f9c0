// Opening from the open cache gives exactly what decrypting every record gives, records changed since it was written
// are read from the vault, and OpenVault writes it again once enough records would be read without it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { OPEN_CACHE_SLACK, OpenVault } from '../../../../src/main/services/vault/OpenVault.js';
import {
  cacheValues,
  encodeEntryRecord,
  encodeGroupRecord,
  encodeIconRecord,
  readOpenCache,
  readVaultRecords,
} from '../../../../src/main/services/vault/vaultRecords.js';
import { vaultEntrySchema, type VaultEntry } from '../../../../src/main/vault/entries/index.js';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { sealOpenCache } from '../../../../src/main/vault/file/openCache.js';
import { writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { makeEntry } from '../../vault/entries/entryFixtures.js';
import { uuid, validEntryFields } from '../../vault/entries/entryArbitraries.js';
import { testVault } from '../../vault/slots/testVault.js';

const GROUP = { id: '00000000-0000-4000-8000-0000000a0001', name: 'Work', created_at: '2026-01-02T03:04:05.000Z' };
const ICON = {
  id: '00000000-0000-4000-8000-0000000a0002',
  mime: 'image/png' as const,
  data: 'iVBORw0KGgo=',
  created_at: '2026-01-02T03:04:05.000Z',
};

/** A vault of the password-or-key test shape holding `entries`, one group and one icon record. */
async function vaultWith(entries: readonly VaultEntry[]) {
  const t = await testVault('password-or-key', 0);
  let vault = putEntry(
    t.vault,
    { id: GROUP.id, data: encodeGroupRecord({ ...GROUP, updated_at: GROUP.created_at }) },
    t.clock.tick(),
  );
  vault = putEntry(vault, { id: ICON.id, data: encodeIconRecord(ICON) }, t.clock.tick());
  for (const entry of entries)
    vault = putEntry(vault, { id: entry.id, data: encodeEntryRecord(entry) }, t.clock.tick());
  return { vault, clock: t.clock };
}

function cacheOf(vault: UnlockedVault): Buffer {
  const read = readVaultRecords(vault);
  return sealOpenCache(vault, cacheValues(read.content, read.icons));
}

describe('opening from the open cache', () => {
  it('gives what decrypting every record gives, for any entries (HOTP, Steam, favourites, groups, icons)', async () => {
    const { vault: empty, clock } = await vaultWith([]);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(uuid, validEntryFields), { maxLength: 8, selector: ([id]) => id }),
        async (items) => {
          let vault = empty;
          for (const [id, fields] of items) {
            const entry = vaultEntrySchema.parse({ ...fields, id, groups: [GROUP.id], icon: ICON.id });
            vault = putEntry(vault, { id, data: encodeEntryRecord(entry) }, clock.tick());
          }
          const cache = readOpenCache(vault, cacheOf(vault))!;
          const fromCache = readVaultRecords(vault, cache);
          const decrypted = readVaultRecords(vault);
          expect(fromCache.decrypted).toBe(0);
          expect(decrypted.decrypted).toBe(items.length + 2);
          expect(fromCache.content).toEqual(decrypted.content);
          expect(fromCache.icons).toEqual(decrypted.icons);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('reads a record changed after the cache was written from the vault, and the rest from the cache', async () => {
    const entries = [makeEntry({ service: 'A' }), makeEntry({ service: 'B' }), makeEntry({ service: 'C' })];
    const { vault, clock } = await vaultWith(entries);
    const cache = readOpenCache(vault, cacheOf(vault))!;
    const changed = { ...entries[1]!, service: 'B renamed' };
    const next = putEntry(vault, { id: changed.id, data: encodeEntryRecord(changed) }, clock.tick());
    const read = readVaultRecords(next, cache);
    expect(read.decrypted).toBe(1);
    expect(read.content.entries.get(changed.id)?.service).toBe('B renamed');
    expect([...read.content.entries.values()].map((e) => e.service).sort()).toEqual(['A', 'B renamed', 'C']);
  });
});

describe('OpenVault and its open cache', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function fileOf(vault: UnlockedVault): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-open-cache-'));
    dirs.push(dir);
    const file = join(dir, 'vault.json');
    await writeVaultFile(file, vault.body);
    return file;
  }

  function opened(
    file: string,
    vault: UnlockedVault,
    clock: Awaited<ReturnType<typeof vaultWith>>['clock'],
    bytes?: Buffer,
  ) {
    const written: Buffer[] = [];
    const open = OpenVault.open({
      file,
      vault: { body: vault.body, master: Buffer.from(vault.master) },
      clock,
      backups: 0,
      openCache: { bytes, write: async (data) => void written.push(data) },
    });
    return { open, written };
  }

  const many = (n: number) => Array.from({ length: n }, (_, i) => makeEntry({ service: `Service ${i}` }, i));

  it('writes the cache after an open that read more than the slack without it, and not after one that did not', async () => {
    const { vault, clock } = await vaultWith(many(OPEN_CACHE_SLACK + 1));
    const file = await fileOf(vault);
    const first = opened(file, vault, clock);
    await first.open.settled();
    expect(first.written).toHaveLength(1);
    const second = opened(file, vault, clock, first.written[0]);
    await second.open.settled();
    expect(second.written).toHaveLength(0);
    expect(second.open.entries()).toEqual(first.open.entries());

    const small = await vaultWith(many(3));
    const none = opened(await fileOf(small.vault), small.vault, small.clock);
    await none.open.settled();
    expect(none.written).toHaveLength(0);
  });

  it('writes it again once the slack is passed by changes, and what it writes opens to the vault as changed', async () => {
    const { vault, clock } = await vaultWith(many(OPEN_CACHE_SLACK + 1));
    const file = await fileOf(vault);
    const t = opened(file, vault, clock, cacheOf(vault));
    const ids = t.open.entries().map((e) => e.id);
    for (let i = 0; i < OPEN_CACHE_SLACK; i++) await t.open.setFavourite(ids[i]!, true);
    await t.open.settled();
    expect(t.written).toHaveLength(0);
    await t.open.setFavourite(ids[OPEN_CACHE_SLACK]!, true);
    await t.open.settled();
    expect(t.written).toHaveLength(1);
    const current = t.open.current;
    const read = readVaultRecords(current, readOpenCache(current, t.written[0]!));
    expect(read.decrypted).toBe(0);
    expect([...read.content.entries.values()].every((e) => e.favourite)).toBe(true);
  });

  it('opens as without a cache when the cache is damaged or of another vault, and a failed cache write fails no change', async () => {
    const { vault, clock } = await vaultWith(many(OPEN_CACHE_SLACK + 1));
    const file = await fileOf(vault);
    const damaged = cacheOf(vault);
    damaged[damaged.length - 1]! ^= 1;
    const other = await vaultWith(many(2));
    for (const bytes of [damaged, cacheOf(other.vault), Buffer.from('garbage')]) {
      const t = opened(file, vault, clock, bytes);
      expect(t.open.entries()).toHaveLength(OPEN_CACHE_SLACK + 1);
      await t.open.settled();
      expect(t.written).toHaveLength(1);
    }
    const failing = OpenVault.open({
      file,
      vault: { body: vault.body, master: Buffer.from(vault.master) },
      clock,
      backups: 0,
      openCache: { bytes: undefined, write: () => Promise.reject(new Error('disk full')) },
    });
    await failing.settled();
    const id = failing.entries()[0]!.id;
    await expect(failing.setFavourite(id, true)).resolves.toMatchObject({ favourite: true });
  });

  it('writes nothing once locked before the queued cache write runs', async () => {
    const { vault, clock } = await vaultWith(many(OPEN_CACHE_SLACK + 1));
    const t = opened(await fileOf(vault), vault, clock);
    t.open.lock();
    await t.open.settled();
    expect(t.written).toHaveLength(0);
  });
});
