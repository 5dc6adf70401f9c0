// The stored form of a password or recovery code: scrypt with a per-secret salt, parameters recorded so they can be raised later.

import { z } from 'zod';
import { base64Bytes } from '../store/encodedFields.js';

export const secretHashSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  /** CPU/memory cost, a power of two. */
  n: z.number().int().min(2).refine((n) => (n & (n - 1)) === 0, { message: 'scrypt n must be a power of two' }),
  /** Block size. */
  r: z.number().int().min(1),
  /** Parallelization. */
  p: z.number().int().min(1),
  salt: base64Bytes,
  hash: base64Bytes,
});

export type SecretHash = z.infer<typeof secretHashSchema>;

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and roughly 50-100 ms on a desktop, RFC 7914's interactive-login figures scaled to
 * today. Hashes made with weaker parameters are redone at the next successful sign-in.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { n: 2 ** 15, r: 8, p: 1 };
