// The open cache's container: it opens only under the vault, key epoch and layouts it was sealed for, any changed byte
// makes it unusable (never wrong), and a record is taken from it only while its sealed write is the one cached.

import { describe, expect, it } from 'vitest';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { openOpenCache, sealOpenCache, type OpenCache } from '../../../../src/main/vault/file/openCache.js';
import type { EntryRecord } from '../../../../src/main/vault/file/vaultFileSchema.js';
import { entryJson, testVault } from '../slots/testVault.js';

const LAYOUT = 7;
/** What the cache serves for one record, or undefined when it does not. */
function valueFor(cache: OpenCache, id: string, record: EntryRecord): unknown {
  let served: unknown;
  const answer = cache.serve({ [id]: record }, (_, value) => {
    served = value;
  });
  expect(answer === 'all').toBe(served !== undefined);
  return served;
}

const values = (layout = LAYOUT) => ({ layout, valueOf: (id: string) => ({ cachedValueOf: id }) });

describe('open cache', () => {
  it('gives back each record with the write it was read from, and opens nothing for another vault, epoch or layout', async () => {
    const { vault } = await testVault('password-or-key', 3);
    const sealed = sealOpenCache(vault, values());
    const cache = openOpenCache(vault, sealed, LAYOUT)!;
    const [first] = Object.values(vault.body.entries);
    for (const [id, record] of Object.entries(vault.body.entries))
      expect(valueFor(cache, id, record)).toEqual({ cachedValueOf: id });
    expect(valueFor(cache, '00000000-0000-4000-8000-0000000000ff', first!)).toBeUndefined();
    expect(openOpenCache(vault, sealed, LAYOUT + 1)).toBeUndefined();
    expect(openOpenCache({ ...vault, body: { ...vault.body, epoch: 2 } }, sealed, LAYOUT)).toBeUndefined();
    const other = await testVault('password-or-key', 3);
    expect(openOpenCache(other.vault, sealed, LAYOUT)).toBeUndefined();
    expect(openOpenCache({ ...vault, body: { ...vault.body, vault: other.vault.body.vault } }, sealed, LAYOUT)).toBe(
      undefined,
    );
  });

  it('is passed over, never misread, when any byte changed, when cut short, or when it is not a cache at all', async () => {
    const { vault } = await testVault('password-or-key', 2);
    const sealed = sealOpenCache(vault, values());
    for (let at = 0; at < sealed.length; at++) {
      const changed = Buffer.from(sealed);
      changed[at]! ^= 0x01;
      expect(openOpenCache(vault, changed, LAYOUT), `byte ${at}`).toBeUndefined();
    }
    for (const cut of [0, 10, 22, 34, sealed.length - 1])
      expect(openOpenCache(vault, sealed.subarray(0, cut), LAYOUT)).toBeUndefined();
    expect(openOpenCache(vault, Buffer.from('{"not":"a cache"}'), LAYOUT)).toBeUndefined();
  });

  it('vouches for a record only while it is the cached write: a rewrite, a tombstone or another tag is read anew', async () => {
    const { vault, clock } = await testVault('password-or-key', 2);
    const cache = openOpenCache(vault, sealOpenCache(vault, values()), LAYOUT)!;
    const [id, other] = Object.keys(vault.body.entries) as [string, string];
    const before = vault.body.entries[id]!;
    const rewritten = putEntry(vault, { id, data: entryJson('service 0') }, clock.tick()).body.entries[id]!;
    expect(valueFor(cache, id, before)).toEqual({ cachedValueOf: id });
    expect(valueFor(cache, id, rewritten)).toBeUndefined();
    expect(valueFor(cache, id, { ...before, deleted: true })).toBeUndefined();
    const tag = before.ciphertext.slice(-4);
    const otherTag = `${before.ciphertext.slice(0, -4)}${tag === 'AAA=' ? 'AAE=' : 'AAA='}`;
    expect(valueFor(cache, id, { ...before, ciphertext: otherTag })).toBeUndefined();
    expect(valueFor(cache, id, { ...before, nonce: rewritten.nonce })).toBeUndefined();
    // Another record's write under this id (records swapped between ids) is not this id's.
    expect(valueFor(cache, id, vault.body.entries[other]!)).toBeUndefined();
  });

  it('says which records it served when it did not serve all, and serves all when it can', async () => {
    const { vault, clock } = await testVault('password-or-key', 3);
    const cache = openOpenCache(vault, sealOpenCache(vault, values()), LAYOUT)!;
    expect(cache.serve(vault.body.entries, () => undefined)).toBe('all');
    const [id] = Object.keys(vault.body.entries) as [string];
    const next = putEntry(vault, { id, data: entryJson('service 0') }, clock.tick());
    const taken: string[] = [];
    const served = cache.serve(next.body.entries, (taken_id) => void taken.push(taken_id));
    expect(served).not.toBe('all');
    expect([...(served as Set<string>)].sort()).toEqual(taken.sort());
    expect(taken).not.toContain(id);
    expect(taken).toHaveLength(2);
  });

  it('leaves out a live record whose value the caller does not give, and keeps tombstones as null', async () => {
    const { vault } = await testVault('password-or-key', 2);
    const [kept, left] = Object.keys(vault.body.entries);
    const cache = openOpenCache(
      vault,
      sealOpenCache(vault, { layout: LAYOUT, valueOf: (id) => (id === kept ? 'v' : undefined) }),
      LAYOUT,
    )!;
    expect(valueFor(cache, kept!, vault.body.entries[kept!]!)).toBe('v');
    expect(valueFor(cache, left!, vault.body.entries[left!]!)).toBeUndefined();
  });
});
