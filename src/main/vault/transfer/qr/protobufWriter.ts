// A minimal protobuf encoder (varint, length-delimited and nested fields): enough for Google Authenticator's transfer payload.

/** Wire types (protobuf encoding guide, "Message structure"). */
const WIRE = { varint: 0, lengthDelimited: 2 } as const;

/**
 * Appends fields in the order written; proto3 readers accept any order. The parts (and the bytes given to bytes(), by
 * reference) are kept so that wipe() can zero every copy of a secret once the caller has used the result.
 */
export class ProtobufWriter {
  readonly #parts: Uint8Array[] = [];

  /** A varint field (int32, int64 and enum values that are not negative). */
  varint(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`protobuf field ${field}: expected a non-negative safe integer, got ${value}`);
    this.#parts.push(varintBytes(tag(field, WIRE.varint)), varintBytes(value));
    return this;
  }

  /** A bytes field. The writer keeps a reference to `data`, not a copy: wipe() zeroes it too. */
  bytes(field: number, data: Uint8Array): this {
    this.#parts.push(varintBytes(tag(field, WIRE.lengthDelimited)), varintBytes(data.length), data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, Buffer.from(text, 'utf8'));
  }

  /** An embedded message field. */
  message(field: number, message: ProtobufWriter): this {
    return this.bytes(field, message.finish());
  }

  /** The encoded message, a fresh Buffer the caller zeroes when it holds secrets. */
  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }

  /** Zeroes every part, the bytes given to bytes() included, and forgets them. */
  wipe(): void {
    for (const part of this.#parts) part.fill(0);
    this.#parts.length = 0;
  }
}

function tag(field: number, wireType: number): number {
  if (!Number.isInteger(field) || field < 1 || field > 2 ** 29 - 1)
    throw new RangeError(`protobuf field number must be 1 to 2^29-1, got ${field}`);
  return field * 8 + wireType;
}

/** Base-128, least significant group first, the high bit set on every byte but the last. */
export function varintBytes(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}
