// The scrypt KDF (RFC 7914): its parameters, the default and the floor Latchkey accepts, and a derivation off the main thread.

import { scrypt as nodeScrypt } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  n: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

/**
 * N = 2^17, r = 8, p = 1: OWASP's Password Storage Cheat Sheet figures for scrypt (128 MiB, about 0.4 s on a desktop).
 * Hashes made with other parameters are redone at the next successful sign-in.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { n: 2 ** 17, r: 8, p: 1 };

/**
 * The weakest stored hash accepted: N = 2^15, r = 8, p = 1 (32 MiB), what Latchkey used before the default was raised,
 * so those hashes still load and are upgraded at the next sign-in. Anything weaker is a file someone lowered.
 */
export const MIN_SCRYPT_PARAMS: Readonly<ScryptParams> = { n: 2 ** 15, r: 8, p: 1 };

/** Memory scrypt needs (128 * N * r bytes), the figure that makes it costly to guess on a GPU. */
export function scryptMemoryBytes(params: ScryptParams): number {
  return 128 * params.n * params.r;
}

/** Whether `params` cost less than `floor` in memory (N * r) or in time (N * r * p). */
export function isWeakerScrypt(params: ScryptParams, floor: ScryptParams): boolean {
  return params.n * params.r < floor.n * floor.r || params.n * params.r * params.p < floor.n * floor.r * floor.p;
}

export function describeScrypt(params: ScryptParams): string {
  return `N=${params.n}, r=${params.r}, p=${params.p}`;
}

/** scrypt through libuv's pool, with room for its memory (Node's default cap, 32 MiB, is below the default's 128 MiB). */
export function scrypt(secret: Uint8Array, salt: Uint8Array, length: number, params: ScryptParams): Promise<Buffer> {
  const maxmem = 2 * scryptMemoryBytes(params) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    nodeScrypt(secret, salt, length, { N: params.n, r: params.r, p: params.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
