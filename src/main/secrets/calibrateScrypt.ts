// Measures scrypt on this machine and picks the N that makes one derivation last about a target duration.

import { randomBytes } from 'node:crypto';
import { MIN_SCRYPT_PARAMS, scrypt, type ScryptParams } from './scrypt.js';
import { calibrateCost } from './calibrateCost.js';
import { zeroize } from './zeroize.js';

export interface CalibrateScryptOptions {
  /** How long one derivation should take at least, in ms (a sign-in or an unlock waits this long). @default 250 */
  targetMs?: number;
  /** @default 8 */
  r?: number;
  /** @default 1 */
  p?: number;
  /** The smallest N tried, a power of two; never below the floor in production. @default MIN_SCRYPT_PARAMS.n */
  minN?: number;
  /** The largest N tried, a power of two (memory is 128 * N * r bytes). @default 2^20 (1 GiB at r = 8) */
  maxN?: number;
}

export interface ScryptCalibration {
  params: ScryptParams;
  /** The CPU time the derivation with `params` took here (calibrateCost). */
  measuredMs: number;
}

/** The smallest power-of-two N from `minN` that takes `targetMs` of CPU time, at most `maxN` (calibrateCost). */
export async function calibrateScrypt(options: CalibrateScryptOptions = {}): Promise<ScryptCalibration> {
  const { targetMs = 250, r = 8, p = 1, minN = MIN_SCRYPT_PARAMS.n, maxN = 2 ** 20 } = options;
  for (const [name, value] of [
    ['minN', minN],
    ['maxN', maxN],
  ] as const) {
    if (!Number.isInteger(value) || value < 2 || (value & (value - 1)) !== 0)
      throw new RangeError(`${name} must be a power of two of at least 2, got ${value}`);
  }
  if (minN > maxN) throw new RangeError(`minN (${minN}) is above maxN (${maxN})`);
  const secret = randomBytes(32);
  const salt = randomBytes(16);
  try {
    const { cost, measuredMs } = await calibrateCost({
      start: minN,
      max: maxN,
      targetMs,
      derive: (n) => scrypt(secret, salt, 32, { n, r, p }),
    });
    return { params: { n: cost, r, p }, measuredMs };
  } finally {
    zeroize(secret);
  }
}
