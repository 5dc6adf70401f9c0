// Measurement helpers for `npm run bench`: per-operation samples, mean beside median and percentiles, no timing assertions.

import { loadavg } from 'node:os';
import { GCProfiler, getHeapStatistics } from 'node:v8';

export interface BenchResult {
  name: string;
  /** What `value` is, e.g. 'us/op (mean)'. */
  unit: string;
  value: number;
  /** The goal from the issue, where there is one, and whether it was met. */
  goal?: { comparison: '<=' | '>=' | '<'; value: number; met: boolean };
  /** Mean, median and p99 of the samples behind the figure, and how many there were: every figure has them. */
  stats: Stats;
  detail?: Record<string, number | string>;
}

/** The distribution of a figure's samples, rounded for reading. */
export interface Stats {
  /** Unit of the samples, e.g. 'us', 'ms'. */
  unit: string;
  /** The arithmetic mean: what a stream of operations costs on average, pauses (GC, the scheduler) included. */
  mean: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

export interface Samples {
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

export function summarize(samples: number[]): Samples {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    median: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
    count: sorted.length,
  };
}

/** The `stats` of a BenchResult from raw samples (or from a summary already made). */
export function stats(samples: number[] | Samples, unit: string): Stats {
  const s = Array.isArray(samples) ? summarize(samples) : samples;
  return {
    unit,
    mean: round(s.mean),
    median: round(s.median),
    p90: round(s.p90),
    p99: round(s.p99),
    max: round(s.max),
    count: s.count,
  };
}

export interface TimedSamples extends Samples {
  /** The samples themselves, in microseconds. */
  samplesUs: number[];
  /** Mean of each round: how far apart they are says whether the mean is stable. */
  roundMeans: number[];
  /** Process CPU time (user + system, all threads) per operation: less disturbed than wall time by other processes on a loaded machine. */
  cpuUsPerOp: number;
  /** Garbage collections during the measured rounds, and the time they took per operation. */
  gcCount: number;
  gcUsPerOp: number;
  /** JavaScript heap allocated per operation, from the heap sizes around each collection (ArrayBuffer contents excluded). */
  heapBytesPerOp: number;
  /** One-minute load average when measuring began and ended; above the core count, other processes took turns on our core. */
  loadBefore: number;
  loadAfter: number;
}

/**
 * Times `op` one call at a time after a warm-up, in microseconds per call, over several rounds (their means show the
 * run-to-run spread). The clock is performance.now(), which allocates nothing; process.hrtime.bigint() would add two
 * BigInts per sample to the garbage being measured.
 */
export async function sampleAsync(
  op: () => Promise<unknown>,
  { warmup = 2_000, samples = 20_000, rounds = 1 } = {},
): Promise<TimedSamples> {
  for (let i = 0; i < warmup; i++) await op();
  const all = new Float64Array(samples * rounds);
  const roundMeans: number[] = [];
  const gc = new GCProfiler();
  const heapBefore = getHeapStatistics().used_heap_size;
  gc.start();
  const loadBefore = loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      await op();
      const us = (performance.now() - start) * 1_000;
      all[r * samples + i] = us;
      sum += us;
    }
    roundMeans.push(sum / samples);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const loadAfter = loadavg()[0]!;
  const collections = gc.stop()?.statistics ?? [];
  const heapAfter = getHeapStatistics().used_heap_size;
  let allocated = 0;
  let gcUs = 0;
  let used = heapBefore;
  for (const c of collections) {
    allocated += c.beforeGC.heapStatistics.usedHeapSize - used;
    used = c.afterGC.heapStatistics.usedHeapSize;
    gcUs += c.cost;
  }
  allocated += heapAfter - used;
  const samplesUs = Array.from(all);
  return {
    ...summarize(samplesUs),
    samplesUs,
    roundMeans,
    cpuUsPerOp: (cpu.user + cpu.system) / all.length,
    gcCount: collections.length,
    gcUsPerOp: gcUs / all.length,
    heapBytesPerOp: allocated / all.length,
    loadBefore,
    loadAfter,
  };
}

/** Calls per second over a fixed wall-clock window, with each call's duration in microseconds. */
export async function throughput(
  op: () => Promise<unknown>,
  { warmup = 50, seconds = 2 } = {},
): Promise<{ perSecond: number; count: number; samplesUs: number[] }> {
  for (let i = 0; i < warmup; i++) await op();
  const samplesUs: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1_000;
  let now = start;
  while (now < end) {
    const before = now;
    await op();
    now = performance.now();
    samplesUs.push((now - before) * 1_000);
  }
  return { perSecond: samplesUs.length / ((now - start) / 1_000), count: samplesUs.length, samplesUs };
}

export function goal(comparison: '<=' | '>=' | '<', target: number, value: number): BenchResult['goal'] {
  const met = comparison === '<=' ? value <= target : comparison === '>=' ? value >= target : value < target;
  return { comparison, value: target, met };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
