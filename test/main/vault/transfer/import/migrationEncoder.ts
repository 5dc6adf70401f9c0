// Test helper: writes Google Authenticator MigrationPayload bytes and transfer URIs, independently of the reader.

export interface OtpParametersInput {
  secret: Uint8Array;
  name?: string;
  issuer?: string;
  /** 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5. */
  algorithm?: number;
  /** 0 unspecified, 1 six, 2 eight. */
  digits?: number;
  /** 0 unspecified, 1 HOTP, 2 TOTP. */
  type?: number;
  counter?: number;
}

export interface PayloadInput {
  otp: OtpParametersInput[];
  version?: number;
  batchSize?: number;
  batchIndex?: number;
  batchId?: number;
}

export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

export function lengthDelimited(field: number, bytes: Uint8Array | number[]): number[] {
  return [...tag(field, 2), ...varint(bytes.length), ...bytes];
}

function varintField(field: number, value: number | undefined): number[] {
  return value === undefined || value === 0 ? [] : [...tag(field, 0), ...varint(value)];
}

export function encodeOtpParameters(otp: OtpParametersInput): number[] {
  const text = new TextEncoder();
  return [
    ...lengthDelimited(1, otp.secret),
    ...(otp.name === undefined ? [] : lengthDelimited(2, text.encode(otp.name))),
    ...(otp.issuer === undefined ? [] : lengthDelimited(3, text.encode(otp.issuer))),
    ...varintField(4, otp.algorithm),
    ...varintField(5, otp.digits),
    ...varintField(6, otp.type),
    ...varintField(7, otp.counter),
  ];
}

export function encodePayload(payload: PayloadInput): Uint8Array {
  return Uint8Array.from([
    ...payload.otp.flatMap((otp) => lengthDelimited(1, encodeOtpParameters(otp))),
    ...varintField(2, payload.version ?? 1),
    ...varintField(3, payload.batchSize ?? 1),
    ...varintField(4, payload.batchIndex),
    ...varintField(5, payload.batchId),
  ]);
}

/** `otpauth-migration://offline?data=...` with the base64 %-encoded, as Google Authenticator's QR codes hold it. */
export function migrationUri(bytes: Uint8Array): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}`;
}
