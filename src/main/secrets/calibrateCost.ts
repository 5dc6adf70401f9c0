// The calibration loop every KDF shares: double a cost parameter until one derivation takes a target CPU time.

import { zeroize } from './zeroize.js';

export interface CalibrateCostOptions {
  /** The first cost tried (scrypt's N, Argon2id's memory in KiB): the production floor unless a test lowers it. */
  start: number;
  /** The largest cost tried. */
  max: number;
  /** How long one derivation should take at least, in ms of CPU time. */
  targetMs: number;
  /** One derivation at `cost`; its output is zeroed here. */
  derive(cost: number): Promise<Uint8Array>;
  /** The next cost to try. @default doubling (memory); Argon2id's passes go up by one. */
  next?: (cost: number) => number;
}

export interface CostCalibration {
  cost: number;
  /** The CPU time one derivation at `cost` took here. */
  measuredMs: number;
}

/**
 * Doubles the cost from `start` until a derivation takes `targetMs` or `max` is reached (a KDF's time grows linearly
 * with it, so the last step overshoots by less than twice). Time is the lesser of CPU time and elapsed time (cpuMs).
 * A first derivation at a new size also pays for touching fresh memory, which later ones reuse, so a size that reaches
 * the target is measured once more and the cheaper run kept. Costs about three times the target in total.
 */
export async function calibrateCost(options: CalibrateCostOptions): Promise<CostCalibration> {
  const { start, max, targetMs, derive, next = (c) => c * 2 } = options;
  let cost = start;
  for (;;) {
    let measuredMs = await cpuMs(() => derive(cost));
    if (measuredMs >= targetMs) measuredMs = Math.min(measuredMs, await cpuMs(() => derive(cost)));
    if (measuredMs >= targetMs || cost >= max) return { cost, measuredMs };
    cost = Math.min(next(cost), max);
  }
}

/**
 * The lesser of the process's CPU time and the elapsed time of one derivation. Each alone overstates the cost now and
 * then: elapsed time while other programs hold the cores, CPU time while the process's other threads work beside the
 * KDF (V8's garbage collector sweeping after a large vault was read counted 317 ms for a derivation that takes 108 ms).
 * An overstated cost stops the doubling early and leaves the password slot weaker than the target; the lesser of two
 * estimates errs towards the stronger setting.
 */
async function cpuMs(derive: () => Promise<Uint8Array>): Promise<number> {
  const started = process.cpuUsage();
  const startedAt = performance.now();
  zeroize(await derive());
  const elapsed = performance.now() - startedAt;
  const used = process.cpuUsage(started);
  return Math.min((used.user + used.system) / 1_000, elapsed);
}
