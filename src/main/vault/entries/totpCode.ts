// The current TOTP code of an entry (RFC 6238, through otpauth), with the seconds left in its period.

import { HOTP } from 'otpauth';
import { zeroize } from '../../secrets/zeroize.js';
import { decodeBase32Secret } from './base32Secret.js';
import { checkCodeAlgorithm, otpHmac } from './otpHmac.js';
import { VaultEntryError } from './VaultEntryError.js';
import { DEFAULT_PERIOD, type VaultEntry } from './vaultEntry.js';

/** A time-based code and the period it belongs to, so that a UI can draw the countdown without its own arithmetic. */
export interface TimedCode {
  code: string;
  /** The start of the code's period, in milliseconds since the epoch. */
  periodStart: number;
  /** The period in seconds. */
  period: number;
  /** Whole seconds until the next code: `period` at the first second of a period, 1 in its last. */
  secondsLeft: number;
}

export interface TotpCodeOptions {
  entry: Pick<VaultEntry, 'otp_type' | 'secret' | 'algorithm' | 'digits' | 'period'>;
  /** Default: Date.now(). Milliseconds since the epoch. */
  now?: number;
}

/** Where `now` falls among periods of `period` seconds. */
export function periodOf(now: number, period: number): { counter: number; periodStart: number; secondsLeft: number } {
  const seconds = Math.floor(now / 1000);
  const counter = Math.floor(seconds / period);
  return { counter, periodStart: counter * period * 1000, secondsLeft: period - (seconds % period) };
}

export function totpCode({ entry, now = Date.now() }: TotpCodeOptions): TimedCode {
  if (entry.otp_type !== 'totp')
    throw new VaultEntryError('otp_type', 'invalid', `a TOTP code needs a totp entry, found ${entry.otp_type}`);
  const period = entry.period ?? DEFAULT_PERIOD;
  const { counter, periodStart, secondsLeft } = periodOf(now, period);
  checkCodeAlgorithm(entry.algorithm);
  const secret = decodeBase32Secret(entry.secret);
  try {
    // RFC 6238 section 4.2: HOTP over the number of whole periods since the epoch, the same counter as periodStart.
    const code = HOTP.generate({ secret, algorithm: entry.algorithm, digits: entry.digits, counter, hmac: otpHmac });
    return { code, periodStart, period, secondsLeft };
  } finally {
    zeroize(secret.bytes);
  }
}
