// Measures Argon2id on this machine and picks the memory that makes one derivation last at least a target duration.

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
  /** The largest memory tried, in KiB. @default 1 GiB */
  maxM?: number;
}

export interface Argon2Calibration {
  params: Argon2Params;
  /** The CPU time the derivation with `params` took here (calibrateCost). */
  measuredMs: number;
}

/** The smallest m, doubling from `minM`, that takes `targetMs` of CPU time, at most `maxM` (calibrateCost). */
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
    const { cost, measuredMs } = await calibrateCost({
      start: minM,
      max: maxM,
      targetMs,
      derive: (m) => argon2id(secret, salt, { m, t, p }),
    });
    return { params: { m: cost, t, p }, measuredMs };
  } finally {
    zeroize(secret);
  }
}
