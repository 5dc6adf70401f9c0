// Measurement helpers for `npm run bench`: per-operation samples, median and percentiles, no timing assertions.

export interface BenchResult {
  name: string;
  /** What the figure is, e.g. 'us/op (median)'. */
  unit: string;
  value: number;
  /** The goal from the issue, where there is one, and whether it was met. */
  goal?: { comparison: '<=' | '>=' | '<'; value: number; met: boolean };
  detail?: Record<string, number | string>;
}

export interface Samples {
  median: number;
  p90: number;
  p99: number;
  mean: number;
  count: number;
}

export function summarize(samplesUs: number[]): Samples {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    median: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    count: sorted.length,
  };
}

/** Times `op` one call at a time after a warm-up, in microseconds per call. */
export async function sampleAsync(op: () => Promise<unknown>, { warmup = 2_000, samples = 20_000 } = {}): Promise<Samples> {
  for (let i = 0; i < warmup; i++) await op();
  const out: number[] = new Array(samples);
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await op();
    out[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  return summarize(out);
}

/** Calls per second over a fixed wall-clock window. */
export async function throughput(op: () => Promise<unknown>, { warmup = 50, seconds = 2 } = {}): Promise<{ perSecond: number; count: number }> {
  for (let i = 0; i < warmup; i++) await op();
  const end = performance.now() + seconds * 1_000;
  const start = performance.now();
  let count = 0;
  while (performance.now() < end) {
    await op();
    count++;
  }
  return { perSecond: count / ((performance.now() - start) / 1_000), count };
}

export function goal(comparison: '<=' | '>=' | '<', target: number, value: number): BenchResult['goal'] {
  const met = comparison === '<=' ? value <= target : comparison === '>=' ? value >= target : value < target;
  return { comparison, value: target, met };
}
