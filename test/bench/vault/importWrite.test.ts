// The end-to-end import benchmark measures what it says: 10,000 URIs read, previewed and written in one write that opens.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFile } from '../../../bench/vault/importOtpauth.bench.js';
import { emptyVault, importIntoEmptyVault } from '../../../bench/vault/importWrite.bench.js';
import { BENCH_ARGON2, BENCH_PASSWORD } from '../../../bench/vault/largeVault.js';
import { readVaultContent } from '../../../src/main/services/vault/vaultRecords.js';
import { readVaultFile } from '../../../src/main/vault/file/vaultFileIo.js';
import { lockVault } from '../../../src/main/vault/slots/lockVault.js';
import { unlock } from '../../../src/main/vault/slots/unlock.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the end-to-end import benchmark', () => {
  // The default 20 s deadline is the check that importEntries stays linear: 10,000 entries once took 30 s to seal and
  // write (a copy of every record per entry added), and take about a second now.
  it('adds all 10,000 entries in one write that unlocks with the password and opens to them', async () => {
    const { data } = buildFile();
    const { vault: empty, clock } = await emptyVault();
    dir = await mkdtemp(join(tmpdir(), 'bench-import-write-'));
    const file = join(dir, 'vault.json');
    try {
      const timings = await importIntoEmptyVault({ data, empty, clock, file });
      expect(timings.added).toBe(10_000);
      expect(timings.totalMs).toBeGreaterThan(0);
      // One write: the empty vault the import started from is the newest backup.
      expect(JSON.parse(await readFile(`${file}.bak-1`, 'utf8')).entries).toEqual({});
      const opened = await unlock(await readVaultFile(file), { password: BENCH_PASSWORD }, { minArgon2: BENCH_ARGON2 });
      try {
        const content = readVaultContent(opened);
        expect(content.entries.size).toBe(10_000);
        const services = new Set([...content.entries.values()].map((e) => e.service));
        expect(services.size).toBe(500);
      } finally {
        lockVault(opened);
      }
    } finally {
      lockVault(empty);
    }
  });
});
