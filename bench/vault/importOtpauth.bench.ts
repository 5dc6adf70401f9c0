// Importing 10,000 otpauth URIs: reading the file and previewing it against a 10,000-entry vault (the write: importWrite.bench.ts).

import { base32FromBytes } from '../../src/main/vault/transfer/import/base32FromBytes.js';
import { previewImport, readImport, type ExistingEntry } from '../../src/main/vault/transfer/import/index.js';
import { goal, sampleAsync, stats, type BenchResult } from '../harness.js';

const URIS = 10_000;
const EXISTING = 10_000;
/** One URI in ten is already in the vault (half by secret, half by name), as when a person imports twice. */
const OVERLAP_EVERY = 10;
/** The goal for reading, previewing and writing; this measures the reading and previewing. */
const GOAL_MS = 1_000;

/** A distinct 20-byte secret per number, as base32 (no randomness: each run reads the same file). */
function secret(n: number, salt: number): string {
  const bytes = new Uint8Array(20);
  new DataView(bytes.buffer).setUint32(0, n);
  new DataView(bytes.buffer).setUint32(4, salt);
  for (let i = 8; i < 20; i++) bytes[i] = (n * 31 + i * 7 + salt) & 0xff;
  return base32FromBytes(bytes);
}

/** The file of URIS lines and the vault's entries to preview it against (tested in test/bench/vault). */
export function buildFile(): { data: Uint8Array; existing: ExistingEntry[] } {
  const lines: string[] = [];
  const existing: ExistingEntry[] = [];
  for (let i = 0; i < URIS; i++) {
    const service = `Service ${i % 500}`;
    const account = `user${i}@example.com`;
    const s = secret(i, 1);
    const kind = i % 3 === 0 ? 'hotp' : 'totp';
    const extra = kind === 'hotp' ? `&counter=${i}` : '&period=30';
    lines.push(
      `otpauth://${kind}/${encodeURIComponent(service)}:${encodeURIComponent(account)}?secret=${s}&issuer=${encodeURIComponent(service)}&algorithm=SHA1&digits=6${extra}`,
    );
    if (i % OVERLAP_EVERY === 0)
      existing.push(
        i % (2 * OVERLAP_EVERY) === 0
          ? { id: `overlap-${i}`, service: 'Elsewhere', account: 'x', secret: s }
          : { id: `overlap-${i}`, service, account, secret: secret(i, 2) },
      );
  }
  for (let i = existing.length; i < EXISTING; i++)
    existing.push({ id: `existing-${i}`, service: `Vault ${i}`, account: `v${i}`, secret: secret(i, 3) });
  return { data: new TextEncoder().encode(lines.join('\n') + '\n'), existing };
}

export async function run(): Promise<BenchResult[]> {
  const { data, existing } = buildFile();
  let added = 0;
  let duplicates = 0;
  const samples = await sampleAsync(
    async () => {
      const preview = previewImport(await readImport(data), existing);
      added = preview.toAdd.length;
      duplicates = preview.duplicates.length;
    },
    { warmup: 2, samples: 15 },
  );
  const samplesMs = samples.samplesUs.map((us) => us / 1_000);
  const s = stats(samplesMs, 'ms');
  return [
    {
      name: `import ${URIS} otpauth URIs: readImport + previewImport against ${EXISTING} entries`,
      unit: 'ms (median)',
      value: s.median,
      goal: goal('<', GOAL_MS, s.median),
      stats: s,
      detail: {
        fileBytes: data.length,
        added,
        duplicates,
        cpuMsPerImport: Math.round(samples.cpuUsPerOp) / 1_000,
        heapMiBPerImport: Math.round(samples.heapBytesPerOp / 2 ** 20),
        gcCount: samples.gcCount,
      },
    },
  ];
}
