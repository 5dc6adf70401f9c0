// The entry records of an opened vault checked by hand when they are well formed, zod otherwise: opening 10,000 entries
// spent as long in the schema as in decryption.

import { MAX_SECRET_CHARACTERS, MIN_SECRET_CHARACTERS } from './base32Secret.js';
import {
  ALGORITHMS,
  MAX_DIGITS,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_PERIOD,
  MIN_DIGITS,
  OTP_TYPES,
  STEAM_DIGITS,
  STEAM_PERIOD,
  type VaultEntry,
} from './vaultEntry.js';

const KEYS = new Set([
  'otp_type',
  'service',
  'account',
  'secret',
  'digits',
  'algorithm',
  'period',
  'counter',
  'icon',
  'groups',
  'order',
  'created_at',
  'updated_at',
  'note',
  'favourite',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const CONTROL = /\p{Cc}/u;
const BASE32 = /^[A-Z2-7]+$/;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isText = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
/** What toISOString writes, and only a real instant: the text round-trips through Date. */
const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

/**
 * The entry `{ id, ...fields }` when every field is plainly what vaultEntrySchema accepts, else undefined, and the caller
 * asks the schema (which then words the refusal). Stricter than the schema, never looser: a test pins that whatever
 * passes here passes the schema too, with the same result.
 */
export function storedEntryFastPath(id: string, fields: Record<string, unknown>): VaultEntry | undefined {
  for (const key of Object.keys(fields)) if (!KEYS.has(key)) return undefined;
  const f = fields;
  const otpType = f.otp_type;
  if (!(OTP_TYPES as readonly unknown[]).includes(otpType)) return undefined;
  if (!(ALGORITHMS as readonly unknown[]).includes(f.algorithm)) return undefined;
  if (!UUID.test(id)) return undefined;
  const { service, account, secret, icon, note, groups } = f;
  if (!isText(service, 1, MAX_NAME_LENGTH) || CONTROL.test(service) || service.includes(':')) return undefined;
  if (service.trim() !== service) return undefined;
  if (!isText(account, 0, MAX_NAME_LENGTH) || CONTROL.test(account)) return undefined;
  if (!isText(secret, MIN_SECRET_CHARACTERS, MAX_SECRET_CHARACTERS) || !BASE32.test(secret)) return undefined;
  if (!isInt(f.digits, STEAM_DIGITS, MAX_DIGITS)) return undefined;
  if (f.period !== null && !isInt(f.period, 1, MAX_PERIOD)) return undefined;
  if (f.counter !== null && !isInt(f.counter, 0, Number.MAX_SAFE_INTEGER)) return undefined;
  if (icon !== null && !isText(icon, 1, MAX_NAME_LENGTH)) return undefined;
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && UUID.test(g))) return undefined;
  if (new Set(groups).size !== groups.length) return undefined;
  if (!isInt(f.order, 0, Number.MAX_SAFE_INTEGER)) return undefined;
  if (!isInstant(f.created_at) || !isInstant(f.updated_at)) return undefined;
  if (!isText(note, 0, MAX_NOTE_LENGTH)) return undefined;
  if (f.favourite !== undefined && typeof f.favourite !== 'boolean') return undefined;
  // The schema's per-type rules (vaultEntry.ts superRefine).
  const hotp = otpType === 'hotp';
  if (hotp !== (f.counter !== null) || hotp !== (f.period === null)) return undefined;
  if (otpType === 'steamtotp') {
    if (f.digits !== STEAM_DIGITS || f.period !== STEAM_PERIOD || f.algorithm !== 'sha1') return undefined;
  } else if ((f.digits as number) < MIN_DIGITS) return undefined;
  const entry = {
    id,
    otp_type: otpType,
    service,
    account,
    secret,
    digits: f.digits,
    algorithm: f.algorithm,
    period: f.period,
    counter: f.counter,
    icon,
    groups: [...(groups as string[])],
    order: f.order,
    created_at: f.created_at,
    updated_at: f.updated_at,
    note,
    ...(f.favourite === undefined ? {} : { favourite: f.favourite }),
  } as VaultEntry;
  return entry;
}
