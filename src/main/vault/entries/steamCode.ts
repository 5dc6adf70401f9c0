// The current Steam Guard code of an entry: 5 characters of Steam's alphabet from HMAC-SHA1 over the 30-second counter.

import { zeroize } from '../../secrets/zeroize.js';
import { decodeBase32Secret } from './base32Secret.js';
import { otpHmac } from './otpHmac.js';
import { periodOf, type TimedCode } from './totpCode.js';
import { VaultEntryError } from './VaultEntryError.js';
import { STEAM_DIGITS, STEAM_PERIOD, type VaultEntry } from './vaultEntry.js';

/** Steam's 26 characters: digits and consonants that cannot be misread for one another. */
export const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

export interface SteamCodeOptions {
  entry: Pick<VaultEntry, 'otp_type' | 'secret'>;
  /** Default: Date.now(). Milliseconds since the epoch. */
  now?: number;
}

/**
 * RFC 4226's dynamic truncation of HMAC-SHA1 over the 8-byte big-endian counter (as TOTP with a 30 s period), then,
 * instead of decimal digits, the 31-bit value written in base 26, least significant character first.
 */
export function steamCodeForCounter(secretBytes: Uint8Array, counter: number): string {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const digest = otpHmac('sha1', secretBytes, message);
  try {
    const offset = digest[digest.length - 1]! & 0x0f;
    let value = new DataView(digest.buffer, digest.byteOffset).getUint32(offset) & 0x7fffffff;
    let code = '';
    for (let i = 0; i < STEAM_DIGITS; i++) {
      code += STEAM_ALPHABET[value % STEAM_ALPHABET.length];
      value = Math.floor(value / STEAM_ALPHABET.length);
    }
    return code;
  } finally {
    zeroize(digest);
  }
}

export function steamCode({ entry, now = Date.now() }: SteamCodeOptions): TimedCode {
  if (entry.otp_type !== 'steamtotp')
    throw new VaultEntryError('otp_type', 'invalid', `a Steam code needs a steamtotp entry, found ${entry.otp_type}`);
  const { counter, periodStart, secondsLeft } = periodOf(now, STEAM_PERIOD);
  const secret = decodeBase32Secret(entry.secret);
  try {
    return { code: steamCodeForCounter(secret.bytes, counter), periodStart, period: STEAM_PERIOD, secondsLeft };
  } finally {
    zeroize(secret.bytes);
  }
}
