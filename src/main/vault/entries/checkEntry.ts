// Checks the fields of an entry a person typed or an import read, and fills in the defaults, one sentence per refusal.

import { normalizeBase32Secret } from './base32Secret.js';
import { quoteValue } from './quoteValue.js';
import {
  ALGORITHMS,
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  MAX_DIGITS,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_PERIOD,
  MIN_DIGITS,
  OTP_TYPES,
  STEAM_DIGITS,
  STEAM_PERIOD,
  type OtpAlgorithm,
  type OtpType,
  type VaultEntryFields,
} from './vaultEntry.js';
import { VaultEntryError, type VaultEntryField } from './VaultEntryError.js';

/**
 * What checkEntry accepts: the VaultEntryFields, each optional but `service` and `secret`. Defaults: `otp_type`
 * totp, `account` and `note` empty, `algorithm` sha1, `digits` 6 (Steam 5), `period` 30 (TOTP and Steam; none for
 * HOTP), `counter` 0 (HOTP; none otherwise), `icon` none. Algorithm and type names are read in any case.
 */
export type EntryInput = { [K in keyof VaultEntryFields]?: unknown };

/**
 * The entry fields in their stored form, or a VaultEntryError naming the first field at fault. The secret is checked
 * and normalized but never quoted back.
 */
export function checkEntry(input: unknown): VaultEntryFields {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new VaultEntryError('entry', 'invalid', `an entry must be an object of fields, found ${quoteValue(input)}`);
  const fields = input as EntryInput;
  const otpType = checkOtpType(fields.otp_type);
  const steam = otpType === 'steamtotp';
  const hotp = otpType === 'hotp';
  const service = checkName('service', fields.service, true);
  if (service.includes(':'))
    throw new VaultEntryError(
      'service',
      'invalid',
      `the service ${quoteValue(service)} contains ":", which an otpauth label reads as the end of the issuer`,
    );
  const account = checkName('account', fields.account, false);
  const secret = normalizeBase32Secret(fields.secret);
  const algorithm = checkAlgorithm(fields.algorithm);
  if (steam && algorithm !== 'sha1')
    throw new VaultEntryError('algorithm', 'invalid', `Steam codes use sha1, found ${quoteValue(algorithm)}`);
  const digits = checkDigits(fields.digits, steam);
  let period: number | null = null;
  let counter: number | null = null;
  if (hotp) {
    if (!isAbsent(fields.period))
      throw new VaultEntryError('period', 'invalid', `an HOTP entry has no period, found ${quoteValue(fields.period)}`);
    counter = checkInteger('counter', fields.counter ?? 0, 0, Number.MAX_SAFE_INTEGER);
  } else {
    if (!isAbsent(fields.counter))
      throw new VaultEntryError(
        'counter',
        'invalid',
        `a ${otpType} entry has no counter (only HOTP does), found ${quoteValue(fields.counter)}`,
      );
    period = checkInteger('period', isAbsent(fields.period) ? DEFAULT_PERIOD : fields.period, 1, MAX_PERIOD);
    if (steam && period !== STEAM_PERIOD)
      throw new VaultEntryError(
        'period',
        'invalid',
        `Steam codes change every ${STEAM_PERIOD} seconds, found ${period}`,
      );
  }
  const icon = isAbsent(fields.icon) ? null : checkName('icon', fields.icon, true);
  const note = checkText('note', fields.note ?? '', MAX_NOTE_LENGTH);
  return { otp_type: otpType, service, account, secret, digits, algorithm, period, counter, icon, note };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function checkOtpType(value: unknown): OtpType {
  if (isAbsent(value)) return 'totp';
  const found = typeof value === 'string' ? value.toLowerCase() : value;
  if (!OTP_TYPES.includes(found as OtpType))
    throw new VaultEntryError(
      'otp_type',
      'unsupported',
      `the otp_type ${quoteValue(value)} is not one of ${OTP_TYPES.join(', ')}`,
    );
  return found as OtpType;
}

function checkAlgorithm(value: unknown): OtpAlgorithm {
  if (isAbsent(value)) return DEFAULT_ALGORITHM;
  const found = typeof value === 'string' ? value.toLowerCase().replace('-', '') : value;
  if (!ALGORITHMS.includes(found as OtpAlgorithm))
    throw new VaultEntryError(
      'algorithm',
      'unsupported',
      `the algorithm ${quoteValue(value)} is not one of ${ALGORITHMS.join(', ')}`,
    );
  return found as OtpAlgorithm;
}

function checkDigits(value: unknown, steam: boolean): number {
  if (steam) {
    if (!isAbsent(value) && checkInteger('digits', value, 0, MAX_DIGITS) !== STEAM_DIGITS)
      throw new VaultEntryError(
        'digits',
        'out-of-range',
        `Steam codes have ${STEAM_DIGITS} characters, found ${quoteValue(value)} digits`,
      );
    return STEAM_DIGITS;
  }
  return checkInteger('digits', isAbsent(value) ? DEFAULT_DIGITS : value, MIN_DIGITS, MAX_DIGITS);
}

function checkInteger(field: VaultEntryField, value: unknown, min: number, max: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    throw new VaultEntryError(field, 'invalid', `the ${field} must be a whole number, found ${quoteValue(value)}`);
  if (number < min || number > max)
    throw new VaultEntryError(field, 'out-of-range', `the ${field} must be ${min} to ${max}, found ${number}`);
  return number;
}

function checkName(field: VaultEntryField, value: unknown, required: boolean): string {
  const text = checkText(field, value ?? '', MAX_NAME_LENGTH).trim();
  if (required && text === '') throw new VaultEntryError(field, 'missing', `the ${field} is missing: expected a name`);
  return text;
}

function checkText(field: VaultEntryField, value: unknown, maxLength: number): string {
  if (typeof value !== 'string')
    throw new VaultEntryError(field, 'invalid', `the ${field} must be text, found ${quoteValue(value)}`);
  if (value.length > maxLength)
    throw new VaultEntryError(
      field,
      'out-of-range',
      `the ${field} has ${value.length} characters, expected at most ${maxLength}`,
    );
  // Half of a UTF-16 surrogate pair is no character: it cannot be written as UTF-8 (an otpauth URI, a file) at all.
  if (/\p{Cs}/u.test(value))
    throw new VaultEntryError(field, 'invalid', `the ${field} holds half of a character (a lone UTF-16 surrogate)`);
  if (/\p{Cc}/u.test(value) && field !== 'note')
    throw new VaultEntryError(field, 'invalid', `the ${field} ${quoteValue(value)} contains control characters`);
  return value;
}
