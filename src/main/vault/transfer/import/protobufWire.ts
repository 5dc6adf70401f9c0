// A reader for the protobuf wire format (varints and length-delimited fields), enough for Google's transfer payload.

import { ImportError } from './ImportError.js';

/** Wire types of the protobuf encoding (protobuf.dev/programming-guides/encoding). */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const WIRE_TYPE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit', '6', '7'];

export interface FieldTag {
  field: number;
  wireType: number;
}

/**
 * Reads one message's bytes front to back. Every read checks the bounds, so a truncated or lying length is an
 * ImportError (`damaged`, with `what` naming the message), never a read past the end.
 */
export class ProtobufReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** The next field's number and wire type. Field 0 and wire types 6 and 7 do not exist. */
  readTag(): FieldTag {
    const key = this.readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0 || wireType > WireType.I32)
      throw this.damaged(`a field key with field ${field} and wire type ${wireType}, which protobuf never writes`);
    return { field, wireType };
  }

  /** A base-128 varint of up to 10 bytes (64 bits), as a bigint: int64 counters can exceed 2^53. */
  readVarint(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length) throw this.damaged('a number cut off by the end of the data');
      const byte = this.bytes[this.offset++]!;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return value & 0xffff_ffff_ffff_ffffn;
    }
    throw this.damaged('a number longer than 10 bytes');
  }

  /** The bytes of a length-delimited field, as a view into the message (no copy, so zeroing the message clears it). */
  readBytes(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.bytes.length - this.offset))
      throw this.damaged(`a field of ${length} bytes where ${this.bytes.length - this.offset} remain`);
    const start = this.offset;
    this.offset += Number(length);
    return this.bytes.subarray(start, this.offset);
  }

  /** Passes over a field this reader does not know (newer app versions may add some); groups are refused. */
  skip(wireType: number): void {
    if (wireType === WireType.VARINT) this.readVarint();
    else if (wireType === WireType.LEN) this.readBytes();
    else if (wireType === WireType.I64 || wireType === WireType.I32) {
      const size = wireType === WireType.I64 ? 8 : 4;
      if (this.offset + size > this.bytes.length) throw this.damaged(`a ${size * 8}-bit field cut off by the end`);
      this.offset += size;
    } else throw this.damaged(`a ${WIRE_TYPE_NAMES[wireType]} field, which proto3 messages do not use`);
  }

  /** Refuses a known field whose wire type is not the one its declaration implies. */
  expect(tag: FieldTag, wireType: WireType, name: string): void {
    if (tag.wireType !== wireType)
      throw this.damaged(
        `field ${tag.field} (${name}) with wire type ${WIRE_TYPE_NAMES[tag.wireType]}, expected ${WIRE_TYPE_NAMES[wireType]}`,
      );
  }

  damaged(found: string): ImportError {
    return new ImportError('damaged', `${this.what} is damaged: it holds ${found}`);
  }
}
