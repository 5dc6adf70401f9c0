// Strict CTAP2 canonical CBOR decoder (CTAP 2.2 section 8 "Message Encoding"), with a lenient mode for keys that send non-canonical CBOR.
//
// Hand-written rather than cbor-x because cbor-x accepts every well-formed encoding: it cannot tell us that a key
// broke the canonical rules, and pinUvAuthParam MACs and rpIdHash checks depend on exact bytes.

import { concatBytes } from '../bytes.js';
import { CborError } from './CborError.js';
import type { CborKey, CborMap, CborValue } from './types.js';

export interface CborDecodeOptions {
  /**
   * Accept well-formed but non-canonical CBOR: unsorted map keys, non-shortest integers and lengths, indefinite
   * lengths and tags (tags are dropped). Duplicate keys, truncation, bad UTF-8 and trailing bytes stay errors.
   * @default false
   */
  lenient?: boolean;
  /** Deepest nesting of arrays and maps accepted. CTAP messages need 4; COSE keys inside authData a few more. @default 16 */
  maxDepth?: number;
}

const MAX_SAFE_HIGH_WORD = 0x200000; // 2^53 / 2^32: an 8-byte argument below this fits a JS number exactly.
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Byte strings up to this length (signatures, ids, authData) are copied by a loop rather than subarray() + set(), which allocates a view. */
const SMALL_COPY = 128;

class Reader {
  pos: number;
  /** Made only for floats, which CTAP never sends: integers are read byte by byte, with no DataView per message. */
  private floatView: DataView | undefined;

  constructor(
    readonly data: Uint8Array,
    start: number,
    readonly lenient: boolean,
    readonly maxDepth: number,
  ) {
    this.pos = start;
  }

  private get view(): DataView {
    this.floatView ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return this.floatView;
  }

  private uint16(at: number): number {
    return (this.data[at]! << 8) | this.data[at + 1]!;
  }

  private uint32(at: number): number {
    return ((this.data[at]! << 24) | (this.data[at + 1]! << 16) | (this.data[at + 2]! << 8) | this.data[at + 3]!) >>> 0;
  }

  fail(offence: CborError['offence'], offset: number, detail: string): never {
    throw new CborError(offence, offset, detail);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.data.length) {
      this.fail('truncated', this.pos, `${what} needs ${n} byte(s), ${this.data.length - this.pos} left`);
    }
  }

  /** Reads the argument that follows an initial byte with additional information `info`. */
  argument(info: number, itemStart: number): number | bigint {
    if (info < 24) return info;
    let value: number | bigint;
    let minimum: number;
    switch (info) {
      case 24:
        this.need(1, 'a 1-byte argument');
        value = this.data[this.pos]!;
        this.pos += 1;
        minimum = 24;
        break;
      case 25:
        this.need(2, 'a 2-byte argument');
        value = this.uint16(this.pos);
        this.pos += 2;
        minimum = 0x100;
        break;
      case 26:
        this.need(4, 'a 4-byte argument');
        value = this.uint32(this.pos);
        this.pos += 4;
        minimum = 0x10000;
        break;
      case 27: {
        this.need(8, 'an 8-byte argument');
        const high = this.uint32(this.pos);
        const low = this.uint32(this.pos + 4);
        this.pos += 8;
        value = high < MAX_SAFE_HIGH_WORD ? high * 0x100000000 + low : (BigInt(high) << 32n) | BigInt(low);
        if (!this.lenient && high === 0) {
          this.fail('non-shortest', itemStart, `value ${low} encoded in 8 bytes`);
        }
        return value;
      }
      default:
        return this.fail('reserved', itemStart, `additional information ${info} is reserved`);
    }
    if (!this.lenient && value < minimum) {
      this.fail(
        'non-shortest',
        itemStart,
        `value ${value} encoded in ${info === 24 ? 1 : info === 25 ? 2 : 4} byte(s)`,
      );
    }
    return value;
  }

  /** A length or count, bounded by what is left in the input so a hostile header cannot make us allocate. */
  length(info: number, itemStart: number, minBytesPerUnit: number, what: string): number {
    const n = this.argument(info, itemStart);
    const left = this.data.length - this.pos;
    if (typeof n === 'bigint' || n * minBytesPerUnit > left) {
      this.fail('truncated', itemStart, `${what} of length ${n} but only ${left} byte(s) left`);
    }
    return n;
  }

  item(depth: number): CborValue {
    const start = this.pos;
    this.need(1, 'an item');
    const initial = this.data[this.pos]!;
    this.pos += 1;
    const major = initial >> 5;
    const info = initial & 0x1f;

    if (info === 31) return this.indefinite(major, start, depth);

    switch (major) {
      case 0:
        return this.argument(info, start);
      case 1: {
        const n = this.argument(info, start);
        if (typeof n === 'bigint' || n >= Number.MAX_SAFE_INTEGER) return -1n - BigInt(n);
        return -1 - n;
      }
      case 2: {
        const len = this.length(info, start, 1, 'byte string');
        // A copy, never a view: the caller owns (and may zero) what it gets, and the input may be zeroed under it.
        const bytes = new Uint8Array(len);
        if (len <= SMALL_COPY) for (let i = 0; i < len; i++) bytes[i] = this.data[this.pos + i]!;
        else bytes.set(this.data.subarray(this.pos, this.pos + len));
        this.pos += len;
        return bytes;
      }
      case 3: {
        const len = this.length(info, start, 1, 'text string');
        return this.text(this.pos, len);
      }
      case 4: {
        const count = this.length(info, start, 1, 'array');
        if (depth >= this.maxDepth) this.fail('too-deep', start, `nesting deeper than ${this.maxDepth}`);
        const out: CborValue[] = new Array(count);
        for (let i = 0; i < count; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const count = this.length(info, start, 2, 'map');
        if (depth >= this.maxDepth) this.fail('too-deep', start, `nesting deeper than ${this.maxDepth}`);
        return this.mapEntries(count, depth);
      }
      case 6: {
        if (!this.lenient) this.fail('tag', start, 'tags are not allowed in CTAP2 canonical CBOR');
        this.argument(info, start);
        return this.item(depth);
      }
      default:
        return this.simple(info, start);
    }
  }

  text(at: number, len: number): string {
    const end = at + len;
    let ascii = true;
    for (let i = at; i < end; i++) {
      if (this.data[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.pos = end;
    if (ascii && len <= MAX_INTERNED) return internedAscii(this.data, at, len);
    if (ascii && len < 64) {
      let s = '';
      for (let i = at; i < end; i++) s += String.fromCharCode(this.data[i]!);
      return s;
    }
    try {
      return utf8.decode(this.data.subarray(at, end));
    } catch {
      return this.fail('invalid-utf8', at, 'text string is not valid UTF-8');
    }
  }

  mapEntries(count: number, depth: number): CborMap {
    const map: CborMap = new Map();
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < count; i++) {
      const keyStart = this.pos;
      const key = this.item(depth + 1);
      const keyEnd = this.pos;
      if (typeof key !== 'number' && typeof key !== 'string' && typeof key !== 'bigint') {
        this.fail('unsupported-value', keyStart, 'map keys must be integers or text strings');
      }
      if (prevStart >= 0) {
        const order = compareEncoded(this.data, prevStart, prevEnd, keyStart, keyEnd);
        if (order === 0) this.fail('duplicate-key', keyStart, `key ${String(key)} appears twice`);
        if (order > 0 && !this.lenient) {
          this.fail('unsorted-keys', keyStart, `key ${String(key)} comes after a key that sorts later`);
        }
      }
      // Strictly increasing encodings are distinct keys; only an unsorted (lenient) map needs the lookup.
      if (this.lenient && map.has(key as CborKey))
        this.fail('duplicate-key', keyStart, `key ${String(key)} appears twice`);
      map.set(key as CborKey, this.item(depth + 1));
      prevStart = keyStart;
      prevEnd = keyEnd;
    }
    return map;
  }

  simple(info: number, start: number): CborValue {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25:
        this.need(2, 'a half float');
        this.pos += 2;
        return halfToNumber(this.uint16(this.pos - 2));
      case 26:
        this.need(4, 'a float');
        this.pos += 4;
        return this.view.getFloat32(this.pos - 4);
      case 27:
        this.need(8, 'a double');
        this.pos += 8;
        return this.view.getFloat64(this.pos - 8);
      default:
        if (info >= 28) this.fail('reserved', start, `additional information ${info} is reserved`);
        return this.fail(
          'unsupported-value',
          start,
          `simple value ${info === 24 ? this.data[this.pos] : info} has no meaning in CTAP`,
        );
    }
  }

  indefinite(major: number, start: number, depth: number): CborValue {
    if (major === 7) this.fail('unsupported-value', start, 'unexpected break');
    if (major < 2 || major === 6) this.fail('reserved', start, `major type ${major} cannot be indefinite`);
    if (!this.lenient)
      this.fail('indefinite-length', start, 'indefinite lengths are not allowed in CTAP2 canonical CBOR');
    if (depth >= this.maxDepth) this.fail('too-deep', start, `nesting deeper than ${this.maxDepth}`);
    const isBreak = (): boolean => {
      this.need(1, 'an indefinite item or break');
      if (this.data[this.pos] === 0xff) {
        this.pos += 1;
        return true;
      }
      return false;
    };
    if (major === 2 || major === 3) {
      const chunks: Uint8Array[] = [];
      while (!isBreak()) {
        const chunkStart = this.pos;
        const head = this.data[this.pos]!;
        if (head >> 5 !== major || (head & 0x1f) === 31)
          this.fail('unsupported-value', chunkStart, 'bad chunk in indefinite string');
        this.pos += 1;
        const len = this.length(head & 0x1f, chunkStart, 1, 'string chunk');
        chunks.push(this.data.subarray(this.pos, this.pos + len));
        this.pos += len;
      }
      const joined = concatBytes(...chunks);
      if (major === 2) return joined;
      try {
        return utf8.decode(joined);
      } catch {
        return this.fail('invalid-utf8', start, 'text string is not valid UTF-8');
      }
    }
    if (major === 4) {
      const out: CborValue[] = [];
      while (!isBreak()) out.push(this.item(depth + 1));
      return out;
    }
    const map: CborMap = new Map();
    while (!isBreak()) {
      const keyStart = this.pos;
      const key = this.item(depth + 1);
      if (typeof key !== 'number' && typeof key !== 'string' && typeof key !== 'bigint') {
        this.fail('unsupported-value', keyStart, 'map keys must be integers or text strings');
      }
      if (map.has(key)) this.fail('duplicate-key', keyStart, `key ${String(key)} appears twice`);
      map.set(key, this.item(depth + 1));
    }
    return map;
  }
}

/**
 * Short ASCII strings ("id", "type", "public-key", "hmac-secret", "up"...) come back in every answer. A small table
 * hands out the string made last time for the same bytes, instead of building it again character by character.
 */
const MAX_INTERNED = 16;
const internTable: (string | undefined)[] = new Array(256);

function internedAscii(data: Uint8Array, at: number, len: number): string {
  let hash = len;
  for (let i = 0; i < len; i++) hash = (Math.imul(hash, 31) + data[at + i]!) | 0;
  const slot = hash & 0xff;
  const cached = internTable[slot];
  if (cached !== undefined && cached.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (cached.charCodeAt(i) !== data[at + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  let text = '';
  for (let i = 0; i < len; i++) text += String.fromCharCode(data[at + i]!);
  internTable[slot] = text;
  return text;
}

/** Canonical order: shorter encoding first, then bytewise (CTAP 2.2 section 8, "length-first core deterministic"). */
function compareEncoded(data: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLen = aEnd - aStart;
  const bLen = bEnd - bStart;
  if (aLen !== bLen) return aLen - bLen;
  for (let i = 0; i < aLen; i++) {
    const d = data[aStart + i]! - data[bStart + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function halfToNumber(half: number): number {
  const exp = (half >> 10) & 0x1f;
  const mant = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Decodes exactly one CBOR item that fills `data`; anything after it is an error. */
export function decodeCbor(data: Uint8Array, options: CborDecodeOptions = {}): CborValue {
  const reader = new Reader(data, 0, options.lenient ?? false, options.maxDepth ?? 16);
  const value = reader.item(0);
  if (reader.pos !== data.length) {
    reader.fail('trailing-bytes', reader.pos, `${data.length - reader.pos} byte(s) after the item`);
  }
  return value;
}

/** Decodes one CBOR item starting at `offset` and says where it ended (authData carries CBOR followed by more data). */
export function decodeCborPrefix(
  data: Uint8Array,
  offset: number,
  options: CborDecodeOptions = {},
): { value: CborValue; end: number } {
  const reader = new Reader(data, offset, options.lenient ?? false, options.maxDepth ?? 16);
  const value = reader.item(0);
  return { value, end: reader.pos };
}
