// CTAP2 canonical CBOR encoding: puts map keys in canonical order and integers in the right type, then lets cbor-x write the bytes.

import { Encoder } from 'cbor-x';
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

// The only configuration of cbor-x that writes CTAP2 canonical form (DESIGN.md section 3). It does not sort keys.
// useTag259ForMaps is honoured by cbor-x 1.6 but missing from its type declarations.
const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  useTag259ForMaps: false,
  tagUint8Array: false,
  variableMapSize: true,
} as ConstructorParameters<typeof Encoder>[0]);

const textEncoder = new TextEncoder();
const TWO_POW_32 = 0x100000000;

/** Encodes `value` in CTAP2 canonical form. Map entries whose value is `undefined` are left out. */
export function encodeCbor(value: CborInput): Uint8Array {
  const encoded = encoder.encode(canonicalize(value, 0));
  // cbor-x hands out views of a shared buffer; copy so the caller owns (and may zero) its bytes.
  return new Uint8Array(encoded);
}

function canonicalize(value: CborInput | undefined, depth: number): unknown {
  if (depth > 16) throw new CborError('too-deep', 0, 'value nested deeper than 16 levels');
  switch (typeof value) {
    case 'number':
      if (!Number.isInteger(value)) throw new CborError('unsupported-value', 0, `${value} is not an integer; CTAP uses no floats`);
      if (!Number.isSafeInteger(value)) throw new CborError('unsupported-value', 0, `${value} is beyond 2^53: pass a bigint`);
      // cbor-x writes integers of 2^32 and above as floats; as bigints they become 8-byte integers.
      return value >= TWO_POW_32 || value < -TWO_POW_32 ? BigInt(value) : value;
    case 'bigint':
      // cbor-x writes bigints below -2^63 as tagged bignums, which CTAP forbids; CTAP never needs them.
      if (value >= -(2n ** 63n) && value < 2n ** 64n) {
        return value >= -BigInt(TWO_POW_32) && value < BigInt(TWO_POW_32) ? Number(value) : value;
      }
      throw new CborError('unsupported-value', 0, `${value} is outside the encodable range -2^63 to 2^64-1`);
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map((item: CborInput) => canonicalize(item, depth + 1));
      if (value instanceof Map) return canonicalMap([...value.entries()], depth);
      if (ArrayBuffer.isView(value)) throw new CborError('unsupported-value', 0, 'typed arrays other than Uint8Array have no CTAP encoding');
      return canonicalMap(Object.entries(value), depth);
    default:
      throw new CborError('unsupported-value', 0, `a ${typeof value} cannot be encoded`);
  }
}

function canonicalMap(entries: [CborKey, CborInput | undefined][], depth: number): Map<unknown, unknown> {
  const keyed: { sortKey: Uint8Array; key: unknown; value: CborInput }[] = [];
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    keyed.push({ sortKey: encodeKey(key), key: typeof key === 'bigint' ? canonicalize(key, depth) : key, value });
  }
  keyed.sort((a, b) => compareBytesLengthFirst(a.sortKey, b.sortKey));
  const out = new Map<unknown, unknown>();
  for (let i = 0; i < keyed.length; i++) {
    const entry = keyed[i]!;
    if (i > 0 && compareBytesLengthFirst(keyed[i - 1]!.sortKey, entry.sortKey) === 0) {
      throw new CborError('duplicate-key', 0, `key ${String(entry.key)} appears twice`);
    }
    out.set(entry.key, canonicalize(entry.value, depth + 1));
  }
  return out;
}

/** The canonical encoding of a map key, used only to sort (small and exact, unlike a round trip through cbor-x). */
function encodeKey(key: CborKey): Uint8Array {
  if (typeof key === 'string') {
    const cached = textKeyCache.get(key);
    if (cached) return cached;
    const bytes = textEncoder.encode(key);
    const head = header(3, bytes.length);
    const out = new Uint8Array(head.length + bytes.length);
    out.set(head);
    out.set(bytes, head.length);
    if (textKeyCache.size < 512) textKeyCache.set(key, out);
    return out;
  }
  if (typeof key === 'number' && Number.isSafeInteger(key)) return key >= 0 ? header(0, key) : header(1, -1 - key);
  const n = BigInt(key);
  const argument = n >= 0n ? n : -1n - n;
  return header(n >= 0n ? 0 : 1, argument < 0x100000000n ? Number(argument) : argument);
}

// Map keys repeat endlessly ("id", "type", "alg"...): encode each once.
const textKeyCache = new Map<string, Uint8Array>();

function header(major: number, argument: number | bigint): Uint8Array {
  const m = major << 5;
  if (typeof argument === 'number' && argument < 0x100000000) {
    if (argument < 24) return Uint8Array.of(m | argument);
    if (argument < 0x100) return Uint8Array.of(m | 24, argument);
    if (argument < 0x10000) return Uint8Array.of(m | 25, argument >> 8, argument & 0xff);
    return Uint8Array.of(m | 26, argument >>> 24, (argument >>> 16) & 0xff, (argument >>> 8) & 0xff, argument & 0xff);
  }
  const big = BigInt(argument);
  const out = new Uint8Array(9);
  out[0] = m | 27;
  for (let i = 0; i < 8; i++) out[8 - i] = Number((big >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function compareBytesLengthFirst(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
