// The U2F registration response (FIDO U2F Raw Message Formats "Registration Response Message: Success"): parsing and signature check.

import { X509Certificate, verify } from 'node:crypto';
import { concatBytes } from '../bytes.js';
import { ProtocolError } from '../errors.js';
import { REGISTER_RESERVED_BYTE, U2F_PUBLIC_KEY_SIZE } from './constants.js';

const WHERE = 'U2F register response';

/** ASN.1 DER: the SEQUENCE tag an X.509 certificate starts with, and the longest length-of-length we accept (4 GiB). */
const DER_SEQUENCE = 0x30;
const DER_MAX_LENGTH_BYTES = 4;

/** What a U2F key answered to register, with the parameters it was asked for (they are part of the signed data). */
export class U2fRegistration {
  constructor(
    /** The whole response data (without the status word), as the key sent it. */
    readonly raw: Uint8Array,
    /** The new credential's public key: an uncompressed P-256 point, 0x04 || x || y. */
    readonly publicKey: Uint8Array,
    readonly keyHandle: Uint8Array,
    /** The attestation certificate, X.509 DER. */
    readonly certificate: Uint8Array,
    /** ECDSA (DER) over {@link U2fRegistration.signedData} with the attestation certificate's key. */
    readonly signature: Uint8Array,
    readonly appParam: Uint8Array,
    readonly challengeParam: Uint8Array,
  ) {}

  /** 0x00 || application parameter || challenge parameter || key handle || public key: what the key signed. */
  get signedData(): Uint8Array {
    return concatBytes(Uint8Array.of(0x00), this.appParam, this.challengeParam, this.keyHandle, this.publicKey);
  }

  /**
   * Whether the attestation signature verifies with the certificate's public key. Says nothing about whether the
   * certificate itself is to be trusted. Throws ProtocolError when the certificate is not X.509.
   */
  verify(): boolean {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(this.certificate);
    } catch (error) {
      throw new ProtocolError(`${WHERE} attestation certificate is not valid X.509 DER: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return verify('sha256', this.signedData, certificate.publicKey, this.signature);
    } catch {
      // node:crypto throws on signatures that are not DER at all; that is simply a signature that does not verify.
      return false;
    }
  }
}

/**
 * Splits a registration response: 0x05 | public key (65) | key handle length (1) | key handle | certificate | signature.
 * The certificate's length comes from its own ASN.1 DER header, as the format has no length field for it.
 */
export function parseRegisterResponse(
  raw: Uint8Array,
  params: { appParam: Uint8Array; challengeParam: Uint8Array },
): U2fRegistration {
  if (raw.length < 1 + U2F_PUBLIC_KEY_SIZE + 1) {
    throw new ProtocolError(
      `${WHERE} is ${raw.length} bytes, too short for the reserved byte, a public key and a key handle length`,
    );
  }
  if (raw[0] !== REGISTER_RESERVED_BYTE) {
    throw new ProtocolError(`${WHERE} starts with 0x${hexByte(raw[0]!)}, expected the reserved byte 0x05`);
  }
  let at = 1;
  const publicKey = raw.subarray(at, at + U2F_PUBLIC_KEY_SIZE);
  if (publicKey[0] !== 0x04) {
    throw new ProtocolError(
      `${WHERE} public key starts with 0x${hexByte(publicKey[0]!)}, expected 0x04 (an uncompressed P-256 point)`,
    );
  }
  at += U2F_PUBLIC_KEY_SIZE;
  const keyHandleLength = raw[at]!;
  at += 1;
  if (keyHandleLength === 0 || at + keyHandleLength > raw.length) {
    throw new ProtocolError(
      `${WHERE} key handle length ${keyHandleLength} does not fit the ${raw.length - at} bytes left`,
    );
  }
  const keyHandle = raw.subarray(at, at + keyHandleLength);
  at += keyHandleLength;
  const certificateLength = derElementLength(raw, at);
  if (at + certificateLength >= raw.length) {
    throw new ProtocolError(
      `${WHERE} certificate of ${certificateLength} bytes leaves no room for the signature (${raw.length - at} bytes left)`,
    );
  }
  const certificate = raw.subarray(at, at + certificateLength);
  const signature = raw.subarray(at + certificateLength);
  return new U2fRegistration(raw, publicKey, keyHandle, certificate, signature, params.appParam, params.challengeParam);
}

/** The total length (header included) of the DER element starting at `at`, which must be a SEQUENCE. */
function derElementLength(raw: Uint8Array, at: number): number {
  if (at + 2 > raw.length) throw new ProtocolError(`${WHERE} ends before the attestation certificate`);
  if (raw[at] !== DER_SEQUENCE) {
    throw new ProtocolError(
      `${WHERE} attestation certificate starts with tag 0x${hexByte(raw[at]!)}, expected 0x30 (a DER SEQUENCE)`,
    );
  }
  const first = raw[at + 1]!;
  if (first < 0x80) return 2 + first;
  const lengthBytes = first & 0x7f;
  if (lengthBytes === 0 || lengthBytes > DER_MAX_LENGTH_BYTES) {
    throw new ProtocolError(
      `${WHERE} attestation certificate length byte 0x${hexByte(first)} is not a DER definite length`,
    );
  }
  if (at + 2 + lengthBytes > raw.length)
    throw new ProtocolError(`${WHERE} ends inside the attestation certificate's length`);
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + raw[at + 2 + i]!;
  return 2 + lengthBytes + length;
}

function hexByte(value: number): string {
  return value.toString(16).padStart(2, '0');
}
