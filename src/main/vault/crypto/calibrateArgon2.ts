// Measures Argon2id on this machine and picks the memory that makes one derivation last at least a target duration.

import { randomBytes } from 'node:crypto';
import { zeroize } from '../../secrets/zeroize.js';
import { argon2id, MIN_ARGON2_PARAMS, type Argon2Params } from './argon2id.js';

export interface CalibrateArgon2Options {
  /** How long one derivation should take at least, in ms (an unlock with the password waits this long). @default 250 */
  targetMs?: number;
  /** Passes. @default MIN_ARGON2_PARAMS.t */
  t?: number;
  /** Lanes. @default MIN_ARGON2_PARAMS.p */
  p?: number;
  /** The smallest memory tried, in KiB; production never lowers it, only tests do. @default MIN_ARGON2_PARAMS.m */
  minM?: number;
  /** The largest memory tried, in KiB. @default 1 GiB */
  maxM?: number;
}

export interface Argon2Calibration {
  params: Argon2Params;
  /**
   * The CPU time the derivation with `params` took here. CPU time, not elapsed time: while other programs hold the
   * cores, elapsed time grows and would pick parameters that take less than the target once the machine is idle.
   */
  measuredMs: number;
}

/**
 * Doubles m from `minM` until one derivation takes `targetMs` of CPU time or `maxM` is reached (Argon2's time grows
 * linearly with m, so the last step overshoots by less than twice). Costs about three times the target in total.
 */
export async function calibrateArgon2(options: CalibrateArgon2Options = {}): Promise<Argon2Calibration> {
  const {
    targetMs = 250,
    t = MIN_ARGON2_PARAMS.t,
    p = MIN_ARGON2_PARAMS.p,
    minM = MIN_ARGON2_PARAMS.m,
    maxM = 1024 * 1024,
  } = options;
  if (!Number.isInteger(minM) || minM < 8 * p) throw new RangeError(`minM must be at least 8 * p KiB, got ${minM}`);
  if (minM > maxM) throw new RangeError(`minM (${minM}) is above maxM (${maxM})`);
  const secret = randomBytes(32);
  const salt = randomBytes(16);
  try {
    let m = minM;
    for (;;) {
      const params = { m, t, p };
      let measuredMs = await cpuMs(() => argon2id(secret, salt, params));
      // A first derivation at a new size also pays for touching fresh memory, which later unlocks reuse: before
      // settling on a size, measure it once more and keep the cheaper run.
      if (measuredMs >= targetMs) measuredMs = Math.min(measuredMs, await cpuMs(() => argon2id(secret, salt, params)));
      if (measuredMs >= targetMs || m >= maxM) return { params, measuredMs };
      m = Math.min(m * 2, maxM);
    }
  } finally {
    zeroize(secret);
  }
}

/**
 * The CPU time `derive` takes, in ms; its output is zeroed. libuv runs it on a worker thread, which process.cpuUsage
 * counts with the rest of the process.
 */
async function cpuMs(derive: () => Promise<Uint8Array>): Promise<number> {
  const started = process.cpuUsage();
  zeroize(await derive());
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1_000;
}
