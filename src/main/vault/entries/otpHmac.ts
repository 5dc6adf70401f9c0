// The HMAC that codes are computed with: node:crypto, for the algorithms a code can use (sha1, sha256, sha512).

import { createHmac } from 'node:crypto';
import { VaultEntryError } from './VaultEntryError.js';
import { isLegacyAlgorithm, type OtpAlgorithm } from './vaultEntry.js';

/**
 * Refuses md5 before a code is computed: an MD5 digest has 16 bytes, and RFC 4226's dynamic truncation reads up to
 * byte 18, so no code is defined. The entry is still kept and exported (2FAuth accepts md5), only flagged.
 */
export function checkCodeAlgorithm(algorithm: OtpAlgorithm): void {
  if (isLegacyAlgorithm(algorithm))
    throw new VaultEntryError(
      'algorithm',
      'unsupported',
      `no code is defined for the ${algorithm} algorithm: its digest is too short for RFC 4226 truncation, expected sha1, sha256 or sha512`,
    );
}

/** otpauth's `hmac` option: node:crypto directly, with a digest the caller can zeroize. */
export function otpHmac(algorithm: string, key: Uint8Array, message: Uint8Array): Uint8Array {
  const digest = createHmac(algorithm as OtpAlgorithm, key)
    .update(message)
    .digest();
  const bytes = new Uint8Array(digest);
  digest.fill(0);
  return bytes;
}
