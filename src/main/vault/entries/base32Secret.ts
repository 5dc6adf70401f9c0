// Reads a base32 TOTP/HOTP secret as people paste it (any case, spaces, padding) and checks it without ever echoing it.

import { Secret } from 'otpauth';
import { VaultEntryError } from './VaultEntryError.js';

const BASE32 = /^[A-Z2-7]+$/;

/**
 * Fewer than 16 characters (80 bits) is a typo rather than a secret: 80 bits is the shortest secret services issue
 * (early Google Authenticator accounts); RFC 4226 section 4 asks for 128 bits or more.
 */
export const MIN_SECRET_CHARACTERS = 16;

/** 1,024 bits: far above any HMAC block size, so a longer paste is a mistake, not a key. */
export const MAX_SECRET_CHARACTERS = 205;

/** Character counts that end on a whole byte (RFC 4648 section 6: 8 characters carry 5 bytes). */
const WHOLE_BYTE_REMAINDERS = new Set([0, 2, 4, 5, 7]);

/**
 * The secret in its stored form: upper case, no spaces, hyphens or padding. Refuses with `secret` as the field and a
 * sentence that describes the problem (length, the position of a bad character) but never the secret itself.
 */
export function normalizeBase32Secret(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '')
    throw new VaultEntryError('secret', 'missing', 'the secret is missing: expected base32 text (A-Z, 2-7)');
  const compact = text.replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
  const bad = [...compact].findIndex((c) => !BASE32.test(c));
  if (bad >= 0)
    throw new VaultEntryError(
      'secret',
      'invalid',
      `the secret is not valid base32: character ${bad + 1} is outside A-Z and 2-7`,
    );
  if (compact.length < MIN_SECRET_CHARACTERS || compact.length > MAX_SECRET_CHARACTERS)
    throw new VaultEntryError(
      'secret',
      'out-of-range',
      `the secret has ${compact.length} base32 characters, expected ${MIN_SECRET_CHARACTERS} to ${MAX_SECRET_CHARACTERS}`,
    );
  if (!WHOLE_BYTE_REMAINDERS.has(compact.length % 8))
    throw new VaultEntryError(
      'secret',
      'invalid',
      `the secret is not valid base32: ${compact.length} characters do not end on a whole byte`,
    );
  return compact;
}

/** The secret for one computation through otpauth: the caller zeroizes its `bytes` when done. */
export function decodeBase32Secret(normalized: string): Secret {
  return Secret.fromBase32(normalized);
}
