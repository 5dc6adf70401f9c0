// Measures Argon2id on this machine and picks the memory (then the passes) that make one derivation last a target time.

import { randomBytes } from 'node:crypto';
import { calibrateCost } from '../../secrets/calibrateCost.js';
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
  /**
   * The most memory one unlock may take, in KiB; past it the passes (t) grow instead. A desktop app that takes most
   * of a gigabyte for a moment to unlock is a bad neighbour, and time per pass is what an attacker pays too.
   * @default 256 MiB
   */
  maxM?: number;
}

export interface Argon2Calibration {
  params: Argon2Params;
  /** The CPU time the derivation with `params` took here (calibrateCost). */
  measuredMs: number;
}

/** The smallest m, doubling from `minM`, that takes `targetMs` (calibrateCost), at most `maxM`; past it, t doubles. */
export async function calibrateArgon2(options: CalibrateArgon2Options = {}): Promise<Argon2Calibration> {
  const {
    targetMs = 250,
    t = MIN_ARGON2_PARAMS.t,
    p = MIN_ARGON2_PARAMS.p,
    minM = MIN_ARGON2_PARAMS.m,
    maxM = 256 * 1024,
  } = options;
  if (!Number.isInteger(minM) || minM < 8 * p) throw new RangeError(`minM must be at least 8 * p KiB, got ${minM}`);
  if (minM > maxM) throw new RangeError(`minM (${minM}) is above maxM (${maxM})`);
  const secret = randomBytes(32);
  const salt = randomBytes(16);
  try {
    const memory = await calibrateCost({
      start: minM,
      max: maxM,
      targetMs,
      derive: (m) => argon2id(secret, salt, { m, t, p }),
    });
    if (memory.measuredMs >= targetMs) return { params: { m: memory.cost, t, p }, measuredMs: memory.measuredMs };
    // At the memory cap and still under the target: more passes over the same memory.
    const passes = await calibrateCost({
      start: t + 1,
      max: 64,
      targetMs,
      // One pass at a time: at this memory each pass costs a fixed share, so doubling would overshoot by up to half.
      next: (passCount) => passCount + 1,
      derive: (passCount) => argon2id(secret, salt, { m: memory.cost, t: passCount, p }),
    });
    return { params: { m: memory.cost, t: passes.cost, p }, measuredMs: passes.measuredMs };
  } finally {
    zeroize(secret);
  }
}
