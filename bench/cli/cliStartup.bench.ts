// Start-up of the `latchkey` command (issue #9, point 23): time to first output of `latchkey devices`, compiled
// (bin/latchkey.js on a fresh dist/) against the TypeScript sources through tsx, beside a bare `node -e`.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goal, stats, summarize, type BenchResult } from '../harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Runs per variant; they alternate, so a busy phase of the machine hits all of them alike. */
const ROUNDS = Number(process.env.LATCHKEY_BENCH_CLI_ROUNDS ?? 10);
const SOURCE_NOTE = 'running from the TypeScript sources';
/**
 * GNU time gives each run's CPU time (user + system): on a machine shared with other work, wall-clock start-up grows
 * with the load, CPU time hardly does. Without it, only wall-clock figures are given.
 */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const FROM_SOURCES = [
  '--input-type=module',
  '-e',
  "import { register } from 'tsx/esm/api'; register(); const { main } = await import('./src/main/cli/main.ts'); " +
    "process.exitCode = await main(['devices']);",
];

interface Run {
  /** Wall-clock time from spawn to the first byte of output. */
  ms: number;
  /** User + system CPU time of the whole run, where GNU time is there to tell. */
  cpuMs?: number;
  stderr: string;
}

export async function run(): Promise<BenchResult[]> {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:cli failed (exit ${built.status}): ${built.stderr}`);
  const compiled: Run[] = [];
  const sources: Run[] = [];
  const bare: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const latest = await firstOutput(['bin/latchkey.js', 'devices']);
    if (latest.stderr.includes(SOURCE_NOTE)) {
      throw new Error(`bin/latchkey.js ran the sources right after a build: ${latest.stderr}`);
    }
    compiled.push(latest);
    sources.push(await firstOutput(FROM_SOURCES));
    bare.push(await firstOutput(['-e', 'console.log(0)']));
  }
  const wallMs = (runs: Run[]): number => Math.round(summarize(runs.map((r) => r.ms)).median);
  const cpuMs = (runs: Run[]): number | string =>
    runs.every((r) => r.cpuMs !== undefined) ? Math.round(summarize(runs.map((r) => r.cpuMs!)).median) : 'unknown';
  const compiledMs = wallMs(compiled);
  return [
    {
      name: 'latchkey devices, compiled: time to first output',
      unit: 'ms (median)',
      value: compiledMs,
      goal: goal('<', 300, compiledMs),
      stats: stats(
        compiled.map((r) => r.ms),
        'ms',
      ),
      detail: {
        runs: ROUNDS,
        p90: Math.round(summarize(compiled.map((r) => r.ms)).p90),
        cpuMs: cpuMs(compiled),
        nodeAloneMs: wallMs(bare),
        nodeAloneCpuMs: cpuMs(bare),
      },
    },
    {
      name: 'latchkey devices, TypeScript sources through tsx: time to first output',
      unit: 'ms (median)',
      value: wallMs(sources),
      stats: stats(
        sources.map((r) => r.ms),
        'ms',
      ),
      detail: { runs: ROUNDS, cpuMs: cpuMs(sources) },
    },
  ];
}

/** Spawns node with `args` in the repository and times the first byte on stdout or stderr; waits for the exit. */
function firstOutput(args: string[]): Promise<Run> {
  const timeDir = GNU_TIME === undefined ? undefined : mkdtempSync(join(tmpdir(), 'latchkey-bench-cli-'));
  const timeFile = timeDir === undefined ? undefined : join(timeDir, 'cpu');
  const [command, commandArgs] =
    GNU_TIME === undefined || timeFile === undefined
      ? [process.execPath, args]
      : [GNU_TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, ...args]];
  return new Promise<Run>((resolve, reject) => {
    const start = performance.now();
    let first: number | undefined;
    let stderr = '';
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const mark = (): void => {
      first ??= performance.now() - start;
    };
    child.stdout.on('data', mark);
    child.stderr.on('data', (chunk: Buffer) => {
      mark();
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', () => {
      if (first === undefined) return reject(new Error(`node ${args.join(' ')} printed nothing`));
      const [user, system] = timeFile === undefined ? [] : readFileSync(timeFile, 'utf8').trim().split(' ').map(Number);
      const cpu = user === undefined || system === undefined ? undefined : Math.round((user + system) * 1_000);
      resolve({ ms: first, stderr, ...(cpu === undefined ? {} : { cpuMs: cpu }) });
    });
  }).finally(() => {
    if (timeDir !== undefined) rmSync(timeDir, { recursive: true, force: true });
  });
}
