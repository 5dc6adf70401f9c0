// Start-up of the `latchkey` command (issue #9, point 23): time to first output of `latchkey devices`, compiled
// (bin/latchkey.js on a fresh dist/) against the TypeScript sources through tsx, beside a bare `node -e 0`.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { goal, summarize, type BenchResult } from '../harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Runs per variant; they alternate, so a busy phase of the machine hits all of them alike. */
const ROUNDS = Number(process.env.LATCHKEY_BENCH_CLI_ROUNDS ?? 10);
const SOURCE_NOTE = 'running from the TypeScript sources';

const FROM_SOURCES = [
  '--input-type=module',
  '-e',
  "import { register } from 'tsx/esm/api'; register(); const { main } = await import('./src/main/cli/main.ts'); " +
    "process.exitCode = await main(['devices']);",
];

export async function run(): Promise<BenchResult[]> {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:cli failed (exit ${built.status}): ${built.stderr}`);
  const compiled: number[] = [];
  const sources: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const run = await firstOutput(['bin/latchkey.js', 'devices']);
    if (run.stderr.includes(SOURCE_NOTE))
      throw new Error(`bin/latchkey.js ran the sources right after a build: ${run.stderr}`);
    compiled.push(run.ms);
    sources.push((await firstOutput(FROM_SOURCES)).ms);
    bare.push((await firstOutput(['-e', 'console.log(0)'])).ms);
  }
  const median = (samples: number[]): number => Math.round(summarize(samples).median);
  const compiledMs = median(compiled);
  return [
    {
      name: 'latchkey devices, compiled: time to first output',
      unit: 'ms (median)',
      value: compiledMs,
      goal: goal('<', 300, compiledMs),
      detail: { runs: ROUNDS, p90: Math.round(summarize(compiled).p90), nodeAloneMs: median(bare) },
    },
    {
      name: 'latchkey devices, TypeScript sources through tsx: time to first output',
      unit: 'ms (median)',
      value: median(sources),
      detail: { runs: ROUNDS },
    },
  ];
}

/** Spawns node with `args` in the repository and times the first byte on stdout or stderr; waits for the exit. */
function firstOutput(args: string[]): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first: number | undefined;
    let stderr = '';
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const mark = (): void => {
      first ??= performance.now() - start;
    };
    child.stdout.on('data', mark);
    child.stderr.on('data', (chunk: Buffer) => {
      mark();
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', () =>
      first === undefined
        ? reject(new Error(`node ${args.join(' ')} printed nothing`))
        : resolve({ ms: first, stderr }),
    );
  });
}
