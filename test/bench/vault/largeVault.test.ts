// The vault benchmarks measure a real vault: the built one opens from its file to exactly the entries it was built from.

import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAndParse } from '../../../bench/vault/largeVault.bench.js';
import { BENCH_ARGON2, BENCH_PASSWORD, buildLargeVault } from '../../../bench/vault/largeVault.js';
import { VaultDamagedError } from '../../../src/main/vault/errors/VaultDamagedError.js';
import { readVaultFile, writeVaultFile } from '../../../src/main/vault/file/vaultFileIo.js';
import { lockVault } from '../../../src/main/vault/slots/lockVault.js';
import { unlock } from '../../../src/main/vault/slots/unlock.js';
import { FUZZ_RUNS } from '../../support/fuzz.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the benchmarks vault', () => {
  it('is written, read back, unlocked with its password and opens to the entries it was built from', async () => {
    const built = await buildLargeVault({ entries: 120, groups: 4 });
    dir = await mkdtemp(join(tmpdir(), 'bench-vault-'));
    const file = join(dir, 'vault.json');
    await writeVaultFile(file, built.vault.body);
    const opened = await unlock(await readVaultFile(file), { password: BENCH_PASSWORD }, { minArgon2: BENCH_ARGON2 });
    try {
      expect(openAndParse(opened)).toEqual(built.content.entries);
    } finally {
      lockVault(opened);
      lockVault(built.vault);
    }
  });

  it('holds the mix the figures assume: TOTP with each algorithm, Steam, HOTP, every entry in one existing group', async () => {
    const { vault, content } = await buildLargeVault({ entries: 100, groups: 3 });
    lockVault(vault);
    const entries = [...content.entries.values()];
    expect(new Set(entries.map((e) => e.otp_type))).toEqual(new Set(['totp', 'steamtotp', 'hotp']));
    expect(new Set(entries.filter((e) => e.otp_type === 'totp').map((e) => e.algorithm))).toEqual(
      new Set(['sha1', 'sha256', 'sha512']),
    );
    expect(content.groups.size).toBe(3);
    for (const entry of entries) {
      expect(entry.groups).toHaveLength(1);
      expect(content.groups.has(entry.groups[0]!)).toBe(true);
    }
    expect(entries.map((e) => e.order)).toEqual(entries.map((_, i) => i));
  });

  it('refuses an entry moved under another id, so the opening figure includes each tag check', async () => {
    const { vault } = await buildLargeVault({ entries: 3, groups: 1 });
    const [first, second] = Object.keys(vault.body.entries);
    const swapped = {
      ...vault,
      body: {
        ...vault.body,
        entries: { ...vault.body.entries, [first!]: vault.body.entries[second!]! },
      },
    };
    try {
      expect(() => openAndParse(swapped)).toThrow(VaultDamagedError);
    } finally {
      lockVault(vault);
    }
  });

  it('property: for any size and group count, opening gives back exactly the built entries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6 }), async (entries, groups) => {
        const built = await buildLargeVault({ entries, groups });
        try {
          const opened = openAndParse(built.vault);
          expect(opened.size).toBe(entries);
          expect(opened).toEqual(built.content.entries);
          expect(built.content.groups.size).toBe(groups);
        } finally {
          lockVault(built.vault);
        }
      }),
      { numRuns: Math.ceil(FUZZ_RUNS / 10) },
    );
  });
});
