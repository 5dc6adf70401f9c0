// One-time recovery codes: 120 random bits shown as six groups of four Crockford base32 characters, and their normalisation.

import { randomBytes } from 'node:crypto';

// Crockford's alphabet leaves out I, L, O and U, so a code read aloud or written down survives the trip.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 15;

/** A new code such as `7K3M-Q9XD-...` (24 characters, 120 bits). Show it once; store only its hash. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  bytes.fill(0);
  return text.match(/.{4}/g)!.join('-');
}

/**
 * The canonical text of a typed code: upper case, no spaces or dashes, and the look-alikes Crockford allows mapped
 * (O -> 0, I and L -> 1). Anything else outside the alphabet is kept, so it simply fails to match.
 */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
