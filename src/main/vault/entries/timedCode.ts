// The code a list shows for a time-based entry (TOTP or Steam); HOTP codes advance a counter and go through nextHotpCode.

import { steamCode } from './steamCode.js';
import { totpCode, type TimedCode } from './totpCode.js';
import { VaultEntryError } from './VaultEntryError.js';
import type { VaultEntry } from './vaultEntry.js';

export interface TimedCodeOptions {
  entry: VaultEntry;
  /** Default: Date.now(). Milliseconds since the epoch. */
  now?: number;
}

/** The current code and its countdown; refuses an HOTP entry, whose code must not be computed without a write. */
export function timedCode({ entry, now = Date.now() }: TimedCodeOptions): TimedCode {
  if (entry.otp_type === 'steamtotp') return steamCode({ entry, now });
  if (entry.otp_type === 'totp') return totpCode({ entry, now });
  throw new VaultEntryError(
    'otp_type',
    'invalid',
    'an hotp entry has no current code: ask nextHotpCode, which advances its counter',
  );
}
