// A vault entry as stored: 2FAuth's export field names (so import and export map directly) plus Latchkey's own.

import { z } from 'zod';
import { isoInstant, uuidText } from '../../store/encodedFields.js';
import { MAX_SECRET_CHARACTERS, MIN_SECRET_CHARACTERS } from './base32Secret.js';

/** 2FAuth's `otp_type` values. */
export const OTP_TYPES = ['totp', 'hotp', 'steamtotp'] as const;
export type OtpType = (typeof OTP_TYPES)[number];

/**
 * HMAC algorithms. `md5` is read because 2FAuth accepts it, and flagged (isLegacyAlgorithm): no RFC defines it for
 * OTP and a UI should say the entry is unusual rather than silently keep it.
 */
export const ALGORITHMS = ['sha1', 'sha256', 'sha512', 'md5'] as const;
export type OtpAlgorithm = (typeof ALGORITHMS)[number];

/** Digits of a TOTP or HOTP code: RFC 4226 section 5.3 asks for at least 6; 10 is what a 31-bit value can fill. */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;

/** Steam Guard: always 5 characters, HMAC-SHA1, a 30-second period. */
export const STEAM_DIGITS = 5;
export const STEAM_PERIOD = 30;

/** A period longer than a day is no time-based code anyone issues. */
export const MAX_PERIOD = 86_400;

/** Lengths a form field can hold; 2FAuth's columns are 255 characters. */
export const MAX_NAME_LENGTH = 255;
export const MAX_NOTE_LENGTH = 10_000;

export const DEFAULT_DIGITS = 6;
export const DEFAULT_PERIOD = 30;
export const DEFAULT_ALGORITHM: OtpAlgorithm = 'sha1';

/** True for algorithms kept for compatibility only (md5). */
export function isLegacyAlgorithm(algorithm: OtpAlgorithm): boolean {
  return algorithm === 'md5';
}

const noControl = (s: string) => !/\p{Cc}/u.test(s);

/** The entry as the vault stores it. checkEntry produces the user-given part; this schema reads the file back. */
export const vaultEntrySchema = z
  .strictObject({
    id: uuidText,
    otp_type: z.enum(OTP_TYPES),
    service: z
      .string()
      .min(1)
      .max(MAX_NAME_LENGTH)
      .refine((s) => noControl(s) && !s.includes(':') && s.trim() === s),
    account: z.string().max(MAX_NAME_LENGTH).refine(noControl),
    /** Base32 in the normalized form: upper case, no padding or spaces. */
    secret: z
      .string()
      .min(MIN_SECRET_CHARACTERS)
      .max(MAX_SECRET_CHARACTERS)
      .regex(/^[A-Z2-7]+$/),
    digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS),
    algorithm: z.enum(ALGORITHMS),
    /** Seconds per code; null for HOTP (as 2FAuth exports it). */
    period: z.number().int().min(1).max(MAX_PERIOD).nullable(),
    /** The counter the next HOTP code uses; null for TOTP and Steam. */
    counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
    /** An icon file name, or null. */
    icon: z.string().min(1).max(MAX_NAME_LENGTH).nullable(),
    /** Ids of the groups the entry is in. */
    groups: z.array(uuidText).refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate group id' }),
    /** Position in the list: lower first. */
    order: z.number().int().min(0),
    created_at: isoInstant,
    updated_at: isoInstant,
    note: z.string().max(MAX_NOTE_LENGTH),
    /** Pinned to the top of the list (Aegis' favourites). Absent in entries written before it existed: false. */
    favourite: z.boolean().optional(),
  })
  .superRefine((entry, ctx) => {
    // The per-type rules of checkEntry, so that a file edited by hand cannot hold what the form would refuse.
    const hotp = entry.otp_type === 'hotp';
    if (hotp !== (entry.counter !== null)) ctx.addIssue({ code: 'custom', path: ['counter'], message: 'counter' });
    if (hotp !== (entry.period === null)) ctx.addIssue({ code: 'custom', path: ['period'], message: 'period' });
    if (entry.otp_type === 'steamtotp') {
      if (entry.digits !== STEAM_DIGITS || entry.period !== STEAM_PERIOD || entry.algorithm !== 'sha1')
        ctx.addIssue({ code: 'custom', path: ['otp_type'], message: 'steam' });
    } else if (entry.digits < MIN_DIGITS) ctx.addIssue({ code: 'custom', path: ['digits'], message: 'digits' });
  });

export type VaultEntry = z.infer<typeof vaultEntrySchema>;

/** The fields a person or an import gives; checkEntry fills in the defaults. */
export type VaultEntryFields = Pick<
  VaultEntry,
  'otp_type' | 'service' | 'account' | 'secret' | 'digits' | 'algorithm' | 'period' | 'counter' | 'icon' | 'note'
>;
