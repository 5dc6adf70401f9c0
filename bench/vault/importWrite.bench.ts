// Importing 10,000 otpauth URIs end to end, the figure: read, preview against the vault, one atomic write.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenVault } from '../../src/main/services/vault/OpenVault.js';
import { HybridLogicalClock } from '../../src/main/vault/clock/HybridLogicalClock.js';
import { writeVaultFile } from '../../src/main/vault/file/vaultFileIo.js';
import { createVault } from '../../src/main/vault/slots/createVault.js';
import { lockVault } from '../../src/main/vault/slots/lockVault.js';
import type { UnlockedVault } from '../../src/main/vault/slots/unlock.js';
import { readImport } from '../../src/main/vault/transfer/import/index.js';
import { goal, stats, summarize, type BenchResult } from '../harness.js';
import { BENCH_ARGON2, BENCH_PASSWORD } from './largeVault.js';
import { buildFile } from './importOtpauth.bench.js';

/** The goal: 10,000 URIs read, previewed and written in under a second. */
const GOAL_MS = 1_000;
/** Each import writes a 10,000-entry vault: a few runs give a median without holding the machine for long. */
const WARMUP = 1;
const SAMPLES = 7;

export interface ImportTimings {
  readMs: number;
  previewMs: number;
  /** OpenVault.importEntries: sealing every new record and the one atomic write of the whole file. */
  writeMs: number;
  totalMs: number;
  added: number;
}

/** An empty vault (password slot only) at parameters that cost a millisecond: making it is not what is measured. */
export async function emptyVault(): Promise<{ vault: UnlockedVault; clock: HybridLogicalClock }> {
  const clock = new HybridLogicalClock({ device: 'bench-device' });
  const vault = await createVault({
    mode: 'password-or-key',
    slots: [{ type: 'password', password: BENCH_PASSWORD, params: BENCH_ARGON2 }],
    clock,
  });
  return { vault, clock };
}

/**
 * Imports `data` into a fresh copy of `empty` written to `file` (its own master key copy, locked afterwards): the
 * timed part is readImport, OpenVault.previewImport and OpenVault.importEntries, as `latchkey import --yes` runs them.
 */
export async function importIntoEmptyVault(options: {
  data: Uint8Array;
  empty: UnlockedVault;
  clock: HybridLogicalClock;
  file: string;
}): Promise<ImportTimings> {
  const { data, empty, clock, file } = options;
  await writeVaultFile(file, empty.body);
  const open = OpenVault.open({ file, vault: { body: empty.body, master: Buffer.from(empty.master) }, clock });
  try {
    const start = performance.now();
    const parsed = await readImport(data);
    const read = performance.now();
    const preview = open.previewImport(parsed);
    const previewed = performance.now();
    const result = await open.importEntries(
      preview.toAdd.map((e) => ({
        input: e.input,
        groups: e.groups,
        ...(e.note === undefined ? {} : { note: e.note }),
      })),
    );
    const written = performance.now();
    return {
      readMs: read - start,
      previewMs: previewed - read,
      writeMs: written - previewed,
      totalMs: written - start,
      added: result.added.length,
    };
  } finally {
    open.lock();
  }
}

export async function run(): Promise<BenchResult[]> {
  const { data } = buildFile();
  const { vault: empty, clock } = await emptyVault();
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-import-'));
  const timings: ImportTimings[] = [];
  const cpuBefore = process.cpuUsage();
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const timing = await importIntoEmptyVault({ data, empty, clock, file: join(dir, `vault-${i}.json`) });
      if (i >= WARMUP) timings.push(timing);
    }
  } finally {
    lockVault(empty);
    await rm(dir, { recursive: true, force: true });
  }
  const cpu = process.cpuUsage(cpuBefore);
  const s = stats(
    timings.map((t) => t.totalMs),
    'ms',
  );
  const median = (pick: (t: ImportTimings) => number) => Math.round(summarize(timings.map(pick)).median);
  return [
    {
      name: `import ${timings[0]?.added ?? 0} otpauth URIs into an empty vault: readImport + previewImport + importEntries (one atomic write)`,
      unit: 'ms (median)',
      value: s.median,
      goal: goal('<', GOAL_MS, s.median),
      stats: s,
      detail: {
        fileBytes: data.length,
        added: timings[0]?.added ?? 0,
        readMsMedian: median((t) => t.readMs),
        previewMsMedian: median((t) => t.previewMs),
        writeMsMedian: median((t) => t.writeMs),
        cpuMsPerImport: Math.round((cpu.user + cpu.system) / (WARMUP + SAMPLES) / 1_000),
      },
    },
  ];
}
