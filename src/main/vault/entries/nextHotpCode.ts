// The next HOTP code of an entry (RFC 4226, through otpauth) together with the counter the entry must store first.

import { HOTP } from 'otpauth';
import { zeroize } from '../../secrets/zeroize.js';
import { decodeBase32Secret } from './base32Secret.js';
import { checkCodeAlgorithm, otpHmac } from './otpHmac.js';
import { VaultEntryError } from './VaultEntryError.js';
import type { VaultEntry } from './vaultEntry.js';

export interface HotpStep {
  code: string;
  /** The counter `code` was computed with. */
  usedCounter: number;
  /** The entry's counter after this code: write it to the vault before showing `code`. */
  counter: number;
  /** The entry with `counter` stored and updated_at moved to `now`. */
  entry: VaultEntry;
}

export interface NextHotpCodeOptions {
  entry: VaultEntry;
  /** Default: now. Becomes the entry's updated_at. */
  now?: Date;
}

/**
 * Computes the code for the entry's counter and returns the entry with the counter advanced, without writing
 * anything: this is a pure function. The caller must save `entry` and only then show `code`. Why that order: a code is
 * spent once shown (the person may type it, and the server then moves past it). If the code were shown first and the
 * app crashed before the write, the next start would show the same code again, which the server refuses as replayed
 * and which looks, to the person, like a broken entry. Written first, a crash costs at most one code nobody saw, which
 * HOTP servers absorb in their look-ahead window (RFC 4226 section 7.4).
 */
export function nextHotpCode({ entry, now = new Date() }: NextHotpCodeOptions): HotpStep {
  if (entry.otp_type !== 'hotp' || entry.counter === null)
    throw new VaultEntryError('otp_type', 'invalid', `an HOTP code needs an hotp entry, found ${entry.otp_type}`);
  const usedCounter = entry.counter;
  if (usedCounter >= Number.MAX_SAFE_INTEGER)
    throw new VaultEntryError('counter', 'out-of-range', `the counter ${usedCounter} cannot advance any further`);
  checkCodeAlgorithm(entry.algorithm);
  const secret = decodeBase32Secret(entry.secret);
  try {
    const code = HOTP.generate({
      secret,
      algorithm: entry.algorithm,
      digits: entry.digits,
      counter: usedCounter,
      hmac: otpHmac,
    });
    const counter = usedCounter + 1;
    return { code, usedCounter, counter, entry: { ...entry, counter, updated_at: now.toISOString() } };
  } finally {
    zeroize(secret.bytes);
  }
}
