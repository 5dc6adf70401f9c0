// Typed readers for fields of decoded CBOR maps: each failure is a ProtocolError that names the field, what it held and what was expected.

import { ProtocolError } from '../errors.js';
import type { CborKey, CborMap, CborValue } from './types.js';

/** Names a field in error messages, e.g. `getInfo 0x05 (maxMsgSize)`. */
export interface FieldContext {
  readonly where: string;
  readonly names?: Readonly<Record<string, number>>;
}

export function describeValue(value: CborValue): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `a ${value.length}-byte string`;
  if (value instanceof Map) return 'a map';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a text string';
  if (typeof value === 'bigint' || typeof value === 'number')
    return Number.isInteger(value) || typeof value === 'bigint' ? `the integer ${value}` : 'a float';
  return typeof value;
}

function fieldName(where: string, key: CborKey): string {
  return typeof key === 'number' ? `${where} field 0x${key.toString(16).padStart(2, '0')}` : `${where} field "${key}"`;
}

function wrongType(where: string, key: CborKey, value: CborValue, expected: string): ProtocolError {
  return new ProtocolError(`${fieldName(where, key)} is ${describeValue(value)}, expected ${expected}`);
}

export function asMap(value: CborValue, where: string): CborMap {
  if (!(value instanceof Map)) throw new ProtocolError(`${where} is ${describeValue(value)}, expected a map`);
  return value;
}

export function requireField(map: CborMap, key: CborKey, where: string): CborValue {
  const value = map.get(key);
  if (value === undefined) throw new ProtocolError(`${fieldName(where, key)} is missing`);
  return value;
}

export function optBytes(map: CborMap, key: CborKey, where: string): Uint8Array | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) throw wrongType(where, key, value, 'a byte string');
  return value;
}

export function reqBytes(map: CborMap, key: CborKey, where: string): Uint8Array {
  return optBytes(map, key, where) ?? (requireField(map, key, where) as never);
}

export function optText(map: CborMap, key: CborKey, where: string): string | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw wrongType(where, key, value, 'a text string');
  return value;
}

export function reqText(map: CborMap, key: CborKey, where: string): string {
  return optText(map, key, where) ?? (requireField(map, key, where) as never);
}

/** A non-negative integer that fits a JS number. */
export function optUint(map: CborMap, key: CborKey, where: string): number | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw wrongType(where, key, value, 'an unsigned integer');
  return value;
}

export function reqUint(map: CborMap, key: CborKey, where: string): number {
  return optUint(map, key, where) ?? (requireField(map, key, where) as never);
}

export function optInt(map: CborMap, key: CborKey, where: string): number | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(where, key, value, 'an integer');
  return value;
}

export function reqInt(map: CborMap, key: CborKey, where: string): number {
  return optInt(map, key, where) ?? (requireField(map, key, where) as never);
}

export function optBool(map: CborMap, key: CborKey, where: string): boolean | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw wrongType(where, key, value, 'a boolean');
  return value;
}

export function optMap(map: CborMap, key: CborKey, where: string): CborMap | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (!(value instanceof Map)) throw wrongType(where, key, value, 'a map');
  return value;
}

export function reqMap(map: CborMap, key: CborKey, where: string): CborMap {
  return optMap(map, key, where) ?? (requireField(map, key, where) as never);
}

export function optArray(map: CborMap, key: CborKey, where: string): CborValue[] | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw wrongType(where, key, value, 'an array');
  return value;
}

/** An array whose every element passes `check`; `what` names the element type for the error. */
export function optArrayOf<T extends CborValue>(
  map: CborMap,
  key: CborKey,
  where: string,
  check: (item: CborValue) => item is T,
  what: string,
): T[] | undefined {
  const items = optArray(map, key, where);
  if (items === undefined) return undefined;
  items.forEach((item, i) => {
    if (!check(item))
      throw new ProtocolError(`${fieldName(where, key)} item ${i} is ${describeValue(item)}, expected ${what}`);
  });
  return items as T[];
}

export const isText = (v: CborValue): v is string => typeof v === 'string';
export const isInteger = (v: CborValue): v is number => typeof v === 'number' && Number.isInteger(v);
export const isUint = (v: CborValue): v is number => isInteger(v) && v >= 0;
export const isMap = (v: CborValue): v is CborMap => v instanceof Map;
export const isBytes = (v: CborValue): v is Uint8Array => v instanceof Uint8Array;
