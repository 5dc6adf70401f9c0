// Decodes Google Authenticator's MigrationPayload protobuf (the `data` of an otpauth-migration:// URI) into plain values.

import { ProtobufReader, WireType } from './protobufWire.js';

/**
 * The message as Google Authenticator writes it (field numbers from its published .proto, as Aegis and 2FAuth read
 * it): `repeated OtpParameters otp_parameters = 1; int32 version = 2; int32 batch_size = 3; int32 batch_index = 4;
 * int32 batch_id = 5;`. Absent fields keep proto3's zero defaults.
 */
export interface MigrationPayload {
  otpParameters: OtpParameters[];
  version: number;
  batchSize: number;
  batchIndex: number;
  batchId: number;
}

/**
 * `bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4; DigitCount digits = 5; OtpType
 * type = 6; int64 counter = 7;`. The enums stay numbers here (0 is each enum's UNSPECIFIED); the reader maps them.
 */
export interface OtpParameters {
  /** A view into the payload's bytes: zero the payload to clear it. */
  secret: Uint8Array;
  name: string;
  issuer: string;
  algorithm: number;
  digits: number;
  type: number;
  counter: bigint;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** The payload, or an ImportError (`damaged`) for truncated data, a lying length or a field of the wrong wire type. */
export function decodeMigrationPayload(bytes: Uint8Array, what: string): MigrationPayload {
  const reader = new ProtobufReader(bytes, what);
  const payload: MigrationPayload = { otpParameters: [], version: 0, batchSize: 0, batchIndex: 0, batchId: 0 };
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        reader.expect(tag, WireType.LEN, 'otp_parameters');
        payload.otpParameters.push(decodeOtpParameters(reader.readBytes(), what));
        break;
      case 2:
        reader.expect(tag, WireType.VARINT, 'version');
        payload.version = int32(reader.readVarint());
        break;
      case 3:
        reader.expect(tag, WireType.VARINT, 'batch_size');
        payload.batchSize = int32(reader.readVarint());
        break;
      case 4:
        reader.expect(tag, WireType.VARINT, 'batch_index');
        payload.batchIndex = int32(reader.readVarint());
        break;
      case 5:
        reader.expect(tag, WireType.VARINT, 'batch_id');
        payload.batchId = int32(reader.readVarint());
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  return payload;
}

function decodeOtpParameters(bytes: Uint8Array, what: string): OtpParameters {
  const reader = new ProtobufReader(bytes, `${what} (an account in it)`);
  const otp: OtpParameters = {
    secret: new Uint8Array(0),
    name: '',
    issuer: '',
    algorithm: 0,
    digits: 0,
    type: 0,
    counter: 0n,
  };
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.field) {
      case 1:
        reader.expect(tag, WireType.LEN, 'secret');
        otp.secret = reader.readBytes();
        break;
      case 2:
        reader.expect(tag, WireType.LEN, 'name');
        otp.name = UTF8.decode(reader.readBytes());
        break;
      case 3:
        reader.expect(tag, WireType.LEN, 'issuer');
        otp.issuer = UTF8.decode(reader.readBytes());
        break;
      case 4:
        reader.expect(tag, WireType.VARINT, 'algorithm');
        otp.algorithm = int32(reader.readVarint());
        break;
      case 5:
        reader.expect(tag, WireType.VARINT, 'digits');
        otp.digits = int32(reader.readVarint());
        break;
      case 6:
        reader.expect(tag, WireType.VARINT, 'type');
        otp.type = int32(reader.readVarint());
        break;
      case 7:
        reader.expect(tag, WireType.VARINT, 'counter');
        otp.counter = BigInt.asIntN(64, reader.readVarint());
        break;
      default:
        reader.skip(tag.wireType);
    }
  }
  return otp;
}

/** proto3 int32 and enums: the low 32 bits, signed (a negative int32 is written as a 10-byte varint). */
function int32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}
