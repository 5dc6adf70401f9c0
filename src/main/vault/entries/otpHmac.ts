// The HMAC that codes are computed with: node:crypto, for every algorithm an entry may name (md5 included).

import { createHmac } from 'node:crypto';
import type { OtpAlgorithm } from './vaultEntry.js';

/**
 * otpauth's `hmac` option. Passing our own keeps md5 (which otpauth does not know) on the same path as the SHA
 * family, and keeps the digest a plain Uint8Array the caller can zeroize.
 */
export function otpHmac(algorithm: string, key: Uint8Array, message: Uint8Array): Uint8Array {
  const digest = createHmac(algorithm as OtpAlgorithm, key)
    .update(message)
    .digest();
  const bytes = new Uint8Array(digest);
  digest.fill(0);
  return bytes;
}
