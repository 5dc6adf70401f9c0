// Reads CTAP2 request parameters on the authenticator side, failing with the spec's status codes (CTAP 2.2 section 6 and 8.2).
//
// The client's readers in cbor/fields.ts throw ProtocolError; an authenticator must instead answer
// CTAP2_ERR_MISSING_PARAMETER for an absent required member and CTAP2_ERR_CBOR_UNEXPECTED_TYPE for a mistyped one.

import { encodeCbor, type CborInput } from '../../cbor/encode.js';
import type { CborKey, CborMap, CborValue } from '../../cbor/types.js';
import { CtapStatus } from '../../ctapStatus.js';
import { CtapStatusError } from './CtapStatusError.js';

function missing(key: CborKey): CtapStatusError {
  return new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, `parameter ${String(key)} is missing`);
}

function unexpectedType(key: CborKey, expected: string): CtapStatusError {
  return new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, `parameter ${String(key)} is not ${expected}`);
}

function optional<T extends CborValue>(
  map: CborMap,
  key: CborKey,
  check: (v: CborValue) => v is T,
  expected: string,
): T | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (!check(value)) throw unexpectedType(key, expected);
  return value;
}

function required<T extends CborValue>(
  map: CborMap,
  key: CborKey,
  check: (v: CborValue) => v is T,
  expected: string,
): T {
  const value = optional(map, key, check, expected);
  if (value === undefined) throw missing(key);
  return value;
}

const isBytes = (v: CborValue): v is Uint8Array => v instanceof Uint8Array;
const isText = (v: CborValue): v is string => typeof v === 'string';
const isMap = (v: CborValue): v is CborMap => v instanceof Map;
const isArray = (v: CborValue): v is CborValue[] => Array.isArray(v);
const isUint = (v: CborValue): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isInt = (v: CborValue): v is number => typeof v === 'number' && Number.isInteger(v);
const isBool = (v: CborValue): v is boolean => typeof v === 'boolean';

export const reqBytes = (map: CborMap, key: CborKey): Uint8Array => required(map, key, isBytes, 'a byte string');
export const optBytes = (map: CborMap, key: CborKey): Uint8Array | undefined =>
  optional(map, key, isBytes, 'a byte string');
export const reqText = (map: CborMap, key: CborKey): string => required(map, key, isText, 'a text string');
export const optText = (map: CborMap, key: CborKey): string | undefined => optional(map, key, isText, 'a text string');
export const reqMap = (map: CborMap, key: CborKey): CborMap => required(map, key, isMap, 'a map');
export const optMap = (map: CborMap, key: CborKey): CborMap | undefined => optional(map, key, isMap, 'a map');
export const reqArray = (map: CborMap, key: CborKey): CborValue[] => required(map, key, isArray, 'an array');
export const optArray = (map: CborMap, key: CborKey): CborValue[] | undefined =>
  optional(map, key, isArray, 'an array');
export const optUint = (map: CborMap, key: CborKey): number | undefined =>
  optional(map, key, isUint, 'an unsigned integer');
export const reqUint = (map: CborMap, key: CborKey): number => required(map, key, isUint, 'an unsigned integer');
export const optBool = (map: CborMap, key: CborKey): boolean | undefined => optional(map, key, isBool, 'a boolean');

/** WebAuthn limits user handles to 64 bytes (WebAuthn Level 3 section 5.4.3). */
const MAX_USER_ID_LENGTH = 64;

export interface RpParam {
  id: string;
  name?: string;
}

export interface UserParam {
  id: Uint8Array;
  name?: string;
  displayName?: string;
  icon?: string;
}

export interface DescriptorParam {
  type: string;
  id: Uint8Array;
}

export interface CredParam {
  type: string;
  alg: number;
}

export function readRp(map: CborMap): RpParam {
  const rp: RpParam = { id: reqText(map, 'id') };
  const name = optText(map, 'name');
  optText(map, 'icon');
  if (name !== undefined) rp.name = name;
  return rp;
}

export function readUser(map: CborMap): UserParam {
  const user: UserParam = { id: reqBytes(map, 'id') };
  if (user.id.length > MAX_USER_ID_LENGTH) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_LENGTH,
      `user.id is ${user.id.length} bytes, at most ${MAX_USER_ID_LENGTH} allowed`,
    );
  }
  const name = optText(map, 'name');
  const displayName = optText(map, 'displayName');
  const icon = optText(map, 'icon');
  if (name !== undefined) user.name = name;
  if (displayName !== undefined) user.displayName = displayName;
  if (icon !== undefined) user.icon = icon;
  return user;
}

/** PublicKeyCredentialDescriptor: type and id are required; transports and unknown members are ignored. */
function readDescriptor(item: CborValue, where: string): DescriptorParam {
  if (!isMap(item)) throw unexpectedType(where, 'a map');
  return { type: reqText(item, 'type'), id: reqBytes(item, 'id') };
}

/**
 * An allowList or excludeList. A list longer than getInfo's maxCredentialCountInList is refused with
 * CTAP2_ERR_LIMIT_EXCEEDED, so a client that forgets to split long lists finds out.
 */
export function readCredentialList(
  map: CborMap,
  key: CborKey,
  maxCount: number | undefined,
): DescriptorParam[] | undefined {
  const items = optArray(map, key);
  if (items === undefined) return undefined;
  const list = items.map((item, i) => readDescriptor(item, `${String(key)}[${i}]`));
  if (maxCount !== undefined && list.length > maxCount) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED,
      `${list.length} credentials in a list, at most ${maxCount} accepted`,
    );
  }
  return list;
}

/** PublicKeyCredentialParameters (CTAP 2.2 section 6.1.2 step 3): missing members and wrong types fail the request. */
export function readCredParam(item: CborValue, where: string): CredParam {
  if (!isMap(item)) throw unexpectedType(where, 'a map');
  return { type: reqText(item, 'type'), alg: required(item, 'alg', isInt, 'an integer') };
}

/** The options map: unknown option keys are ignored (section 6.1.2 step 5), but every value must be a boolean. */
export function readOptions(map: CborMap | undefined): Map<string, boolean> {
  const options = new Map<string, boolean>();
  if (!map) return options;
  for (const [key, value] of map) {
    if (typeof value !== 'boolean') throw unexpectedType(`options.${String(key)}`, 'a boolean');
    if (typeof key === 'string') options.set(key, value);
  }
  return options;
}

/**
 * The CBOR bytes of a decoded parameter, as the platform sent them: requests are decoded strictly (canonical form
 * only), so encoding the value again reproduces them exactly, and MACs over subCommandParams can be checked.
 */
export function reencode(value: CborMap): Uint8Array {
  // Decoded maps hold only values the encoder takes back (the strict decoder yields no undefined).
  return encodeCbor(value as ReadonlyMap<CborKey, CborInput>);
}
