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
}

export interface CostCalibration {
  cost: number;
  /** The CPU time one derivation at `cost` took here. */
  measuredMs: number;
}

/**
 * Doubles the cost from `start` until a derivation takes `targetMs` or `max` is reached (a KDF's time grows linearly
 * with it, so the last step overshoots by less than twice). Time is CPU time, not elapsed time: while other programs
 * hold the cores, elapsed time grows and would pick a cost that takes less than the target once the machine is idle.
 * A first derivation at a new size also pays for touching fresh memory, which later ones reuse, so a size that reaches
 * the target is measured once more and the cheaper run kept. Costs about three times the target in total.
 */
export async function calibrateCost(options: CalibrateCostOptions): Promise<CostCalibration> {
  const { start, max, targetMs, derive } = options;
  let cost = start;
  for (;;) {
    let measuredMs = await cpuMs(() => derive(cost));
    if (measuredMs >= targetMs) measuredMs = Math.min(measuredMs, await cpuMs(() => derive(cost)));
    if (measuredMs >= targetMs || cost >= max) return { cost, measuredMs };
    cost = Math.min(cost * 2, max);
  }
}

/** libuv runs the KDFs on worker threads, which process.cpuUsage counts with the rest of the process. */
async function cpuMs(derive: () => Promise<Uint8Array>): Promise<number> {
  const started = process.cpuUsage();
  zeroize(await derive());
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1_000;
}
