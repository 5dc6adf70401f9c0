// Turns a password or recovery code into bytes the caller owns and must zero: NFC-normalised UTF-8, or a copy of given bytes.

/** A secret as the API takes it: text, or UTF-8 bytes the caller zeroes when done (strings cannot be zeroed). */
export type Secret = string | Uint8Array;

/**
 * A fresh Buffer holding the secret. Text is NFC-normalised first, so "é" typed as one code point or as e + accent is
 * the same password on every keyboard and OS. Zero the result (zeroize) on every exit path.
 */
export function secretBytes(secret: Secret): Buffer {
  if (typeof secret === 'string') return Buffer.from(secret.normalize('NFC'), 'utf8');
  return Buffer.from(secret);
}
