// scrypt off the main thread (libuv's pool), with room for its 128 * N * r bytes of memory (Node's default cap is 32 MiB).

import { scrypt } from 'node:crypto';
import type { ScryptParams } from './secretHash.js';

export function scryptAsync(secret: Uint8Array, salt: Uint8Array, length: number, params: ScryptParams): Promise<Buffer> {
  const maxmem = 256 * params.n * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N: params.n, r: params.r, p: params.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
