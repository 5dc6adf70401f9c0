// CTAP2 canonical CBOR encoding (CTAP 2.2 section 8): map keys in canonical order, integers and lengths in their shortest form.
//
// Written straight into bytes by hand, as the decoder is. cbor-x needed a canonicalised copy of every value (new Maps,
// sorted entry arrays, bigints) before it could write it, which made the encoder the largest allocator on the
// getAssertion path (issue #8); this writer allocates only the bytes it returns.

import { CborError } from './CborError.js';
import type { CborKey } from './types.js';

/** What the encoder accepts: plain objects are maps with text keys; Maps may have integer or text keys. */
export type CborInput =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | readonly CborInput[]
  | ReadonlyMap<CborKey, CborInput | undefined>
  | { readonly [key: string]: CborInput | undefined };

const MAX_DEPTH = 16;
const TWO_POW_32 = 0x100000000;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;
const textEncoder = new TextEncoder();

/**
 * The bytes are written here, then copied out at the exact size. Encoding is synchronous, so one buffer serves every
 * call; it is zeroed after each, since requests carry encrypted PINs, salts and MACs.
 */
let scratch = new Uint8Array(1024);
let pos = 0;

/** Encodes `value` in CTAP2 canonical form. Map entries whose value is `undefined` are left out. */
export function encodeCbor(value: CborInput): Uint8Array {
  pos = 0;
  return writeAndCopy(value);
}

/**
 * `leadingByte` followed by {@link encodeCbor}'s encoding of `value`, in one buffer: a CTAP2 request is its command
 * byte then the parameters, and encoding them apart meant copying the parameters a second time.
 */
export function encodeCborAfterByte(leadingByte: number, value: CborInput): Uint8Array {
  scratch[0] = leadingByte;
  pos = 1;
  return writeAndCopy(value);
}

/** Writes `value` after the `pos` bytes already in the scratch buffer and returns a copy of them all. */
function writeAndCopy(value: CborInput): Uint8Array {
  try {
    writeValue(value, 0);
    return scratch.slice(0, pos);
  } finally {
    scratch.fill(0, 0, pos);
  }
}

function ensure(n: number): void {
  if (pos + n <= scratch.length) return;
  const grown = new Uint8Array(Math.max(scratch.length * 2, pos + n));
  grown.set(scratch.subarray(0, pos));
  scratch.fill(0);
  scratch = grown;
}

function writeValue(value: CborInput | undefined, depth: number): void {
  if (depth > MAX_DEPTH) throw new CborError('too-deep', 0, `value nested deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case 'number':
      if (!Number.isInteger(value))
        throw new CborError('unsupported-value', 0, `${value} is not an integer; CTAP uses no floats`);
      if (!Number.isSafeInteger(value))
        throw new CborError('unsupported-value', 0, `${value} is beyond 2^53: pass a bigint`);
      if (value >= 0) writeHead(0, value);
      else writeHead(1, -1 - value);
      return;
    case 'bigint':
      // CTAP forbids the tagged bignums that anything outside 64 bits would need.
      if (value < MIN_INT64 || value > MAX_UINT64) {
        throw new CborError('unsupported-value', 0, `${value} is outside the encodable range -2^63 to 2^64-1`);
      }
      if (value >= 0n) writeBigHead(0, value);
      else writeBigHead(1, -1n - value);
      return;
    case 'string':
      writeText(value);
      return;
    case 'boolean':
      ensure(1);
      scratch[pos++] = value ? 0xf5 : 0xf4;
      return;
    case 'object':
      if (value === null) {
        ensure(1);
        scratch[pos++] = 0xf6;
        return;
      }
      if (value instanceof Uint8Array) {
        writeHead(2, value.length);
        ensure(value.length);
        scratch.set(value, pos);
        pos += value.length;
        return;
      }
      if (Array.isArray(value)) {
        const items = value as readonly CborInput[];
        writeHead(4, items.length);
        for (let i = 0; i < items.length; i++) writeValue(items[i], depth + 1);
        return;
      }
      if (value instanceof Map) {
        writeMap(value as ReadonlyMap<CborKey, CborInput | undefined>, depth);
        return;
      }
      if (ArrayBuffer.isView(value))
        throw new CborError('unsupported-value', 0, 'typed arrays other than Uint8Array have no CTAP encoding');
      writeObject(value as { readonly [key: string]: CborInput | undefined }, depth);
      return;
    default:
      throw new CborError('unsupported-value', 0, `a ${typeof value} cannot be encoded`);
  }
}

/** A major type with its argument in the shortest form; `argument` is a non-negative safe integer. */
function writeHead(major: number, argument: number): void {
  const m = major << 5;
  ensure(9);
  if (argument < 24) {
    scratch[pos++] = m | argument;
  } else if (argument < 0x100) {
    scratch[pos++] = m | 24;
    scratch[pos++] = argument;
  } else if (argument < 0x10000) {
    scratch[pos++] = m | 25;
    scratch[pos++] = argument >> 8;
    scratch[pos++] = argument & 0xff;
  } else if (argument < TWO_POW_32) {
    scratch[pos++] = m | 26;
    writeUint32(argument);
  } else {
    scratch[pos++] = m | 27;
    writeUint32(Math.floor(argument / TWO_POW_32));
    writeUint32(argument % TWO_POW_32);
  }
}

function writeBigHead(major: number, argument: bigint): void {
  if (argument < BigInt(TWO_POW_32)) {
    writeHead(major, Number(argument));
    return;
  }
  ensure(9);
  scratch[pos++] = (major << 5) | 27;
  writeUint32(Number(argument >> 32n));
  writeUint32(Number(argument & 0xffffffffn));
}

function writeUint32(n: number): void {
  scratch[pos++] = n >>> 24;
  scratch[pos++] = (n >>> 16) & 0xff;
  scratch[pos++] = (n >>> 8) & 0xff;
  scratch[pos++] = n & 0xff;
}

function writeText(text: string): void {
  if (isAscii(text)) {
    writeHead(3, text.length);
    ensure(text.length);
    for (let i = 0; i < text.length; i++) scratch[pos++] = text.charCodeAt(i);
    return;
  }
  const bytes = textEncoder.encode(text);
  writeHead(3, bytes.length);
  ensure(bytes.length);
  scratch.set(bytes, pos);
  pos += bytes.length;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function writeMap(map: ReadonlyMap<CborKey, CborInput | undefined>, depth: number): void {
  const list = listAt(depth);
  map.forEach(collectDefinedKey, list);
  // CTAP parameter maps are built in key order: the sort then only checks the order and finds no duplicate.
  sortKeys(list);
  writeHead(5, list.count);
  for (let i = 0; i < list.count; i++) {
    writeValue(list.keys[i], depth + 1);
    writeValue(map.get(list.keys[i]!), depth + 1);
  }
}

function collectDefinedKey(this: KeyList, value: CborInput | undefined, key: CborKey): void {
  if (value === undefined) return;
  if (typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'string') {
    throw new CborError('unsupported-value', 0, 'map keys must be integers or text strings');
  }
  this.keys[this.count++] = key;
}

function writeObject(object: { readonly [key: string]: CborInput | undefined }, depth: number): void {
  const list = listAt(depth);
  for (const key in object) {
    if (Object.hasOwn(object, key) && object[key] !== undefined) list.keys[list.count++] = key;
  }
  sortKeys(list);
  writeHead(5, list.count);
  for (let i = 0; i < list.count; i++) {
    writeValue(list.keys[i], depth + 1);
    writeValue(object[list.keys[i] as string], depth + 1);
  }
}

/**
 * The keys of the map being written at one nesting depth: they stay listed while its values (deeper maps) are
 * written. One list per depth is reused, and never shrunk, so writing a map allocates nothing for its keys.
 */
interface KeyList {
  keys: CborKey[];
  count: number;
}

const keyLists: KeyList[] = [];

function listAt(depth: number): KeyList {
  let list = keyLists[depth];
  if (!list) keyLists[depth] = list = { keys: [], count: 0 };
  list.count = 0;
  return list;
}

/**
 * Insertion sort: maps in CTAP have a handful of keys, usually in order already (one pass then), and
 * Array.prototype.sort allocates a work array per call.
 */
function sortKeys(list: KeyList): void {
  const keys = list.keys;
  for (let i = 1; i < list.count; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0; j--) {
      const order = compareKeys(keys[j]!, key);
      if (order === 0) throw duplicate(key);
      if (order < 0) break;
      keys[j + 1] = keys[j]!;
    }
    keys[j + 1] = key;
  }
}

function duplicate(key: CborKey): CborError {
  return new CborError('duplicate-key', 0, `key ${String(key)} appears twice`);
}

/**
 * Canonical order of two keys by their encodings, without writing them: shorter encoding first, then bytewise. For
 * encodings of equal length the first byte decides by major type (unsigned, negative, text), then the argument does.
 */
function compareKeys(a: CborKey, b: CborKey): number {
  const lengthOrder = keyLength(a) - keyLength(b);
  if (lengthOrder !== 0) return lengthOrder;
  const majorOrder = keyMajor(a) - keyMajor(b);
  if (majorOrder !== 0) return majorOrder;
  if (typeof a === 'string') return compareTextBytes(a, b as string);
  const x = integerArgument(a);
  const y = integerArgument(b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

function keyMajor(key: CborKey): number {
  if (typeof key === 'string') return 3;
  return key < 0 ? 1 : 0;
}

/** The argument an integer key is written with: the value, or -1 - value for negatives. */
function integerArgument(key: number | bigint): number | bigint {
  if (typeof key === 'number') return key >= 0 ? key : -1 - key;
  const argument = key >= 0n ? key : -1n - key;
  return argument <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(argument) : argument;
}

function keyLength(key: CborKey): number {
  if (typeof key === 'string') {
    const bytes = utf8Length(key);
    return headLength(bytes) + bytes;
  }
  const argument = integerArgument(key);
  return typeof argument === 'bigint' ? 9 : headLength(argument);
}

function headLength(argument: number): number {
  return argument < 24 ? 1 : argument < 0x100 ? 2 : argument < 0x10000 ? 3 : argument < TWO_POW_32 ? 5 : 9;
}

function utf8Length(text: string): number {
  return isAscii(text) ? text.length : textEncoder.encode(text).length;
}

function compareTextBytes(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) {
    // Equal byte lengths here, and ASCII code units are their UTF-8 bytes.
    for (let i = 0; i < a.length; i++) {
      const d = a.charCodeAt(i) - b.charCodeAt(i);
      if (d !== 0) return d;
    }
    return 0;
  }
  return compareBytesLengthFirst(textEncoder.encode(a), textEncoder.encode(b));
}

export function compareBytesLengthFirst(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
