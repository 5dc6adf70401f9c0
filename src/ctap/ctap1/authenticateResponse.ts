// The U2F authentication response (FIDO U2F Raw Message Formats "Authentication Response Message: Success"): parsing and signature check.

import { verify, type KeyObject } from 'node:crypto';
import { concatBytes } from '../bytes.js';
import { CoseCurve, CoseKey, CoseKty, coseToPublicKey } from '../cose/coseKey.js';
import { ProtocolError } from '../errors.js';
import { CoseAlgorithm } from '../ctap2/constants.js';
import { U2F_PUBLIC_KEY_SIZE, U2F_USER_PRESENCE_BIT } from './constants.js';

const WHERE = 'U2F authenticate response';
/** User presence (1) and counter (4) come before the signature. */
const FIXED_PART = 5;

/** What a U2F key answered to a signing authenticate request. */
export class U2fAuthentication {
  constructor(
    /** The whole response data (without the status word), as the key sent it. */
    readonly raw: Uint8Array,
    /** The user presence byte; bit 0 set means the user touched the key. */
    readonly userPresence: number,
    /** The key's signature counter (big-endian on the wire). */
    readonly counter: number,
    /** ECDSA (DER) over application parameter || user presence || counter || challenge parameter. */
    readonly signature: Uint8Array,
  ) {}

  get userPresent(): boolean {
    return (this.userPresence & U2F_USER_PRESENCE_BIT) !== 0;
  }

  /**
   * Whether the signature verifies with the credential's public key (the 65-byte point from registration) for the
   * parameters the request carried. Throws ProtocolError when `publicKey` is not a P-256 point.
   */
  verify(params: { appParam: Uint8Array; challengeParam: Uint8Array; publicKey: Uint8Array }): boolean {
    const key = u2fPublicKeyObject(params.publicKey);
    const signed = concatBytes(params.appParam, this.raw.subarray(0, FIXED_PART), params.challengeParam);
    try {
      return verify('sha256', signed, key, this.signature);
    } catch {
      return false;
    }
  }
}

/** Splits an authentication response: user presence (1) | counter (4, big-endian) | signature. */
export function parseAuthenticateResponse(raw: Uint8Array): U2fAuthentication {
  if (raw.length <= FIXED_PART) {
    throw new ProtocolError(
      `${WHERE} is ${raw.length} bytes, expected user presence, a 4-byte counter and a signature`,
    );
  }
  const counter = ((raw[1]! << 24) | (raw[2]! << 16) | (raw[3]! << 8) | raw[4]!) >>> 0;
  return new U2fAuthentication(raw, raw[0]!, counter, raw.subarray(FIXED_PART));
}

/** A U2F public key (0x04 || x || y on P-256) as a node:crypto key, through the COSE reader so the checks live in one place. */
export function u2fPublicKeyObject(point: Uint8Array): KeyObject {
  if (point.length !== U2F_PUBLIC_KEY_SIZE || point[0] !== 0x04) {
    throw new ProtocolError(
      `U2F public key is ${point.length} bytes starting 0x${(point[0] ?? 0).toString(16)}, expected 65 bytes starting 0x04`,
    );
  }
  return coseToPublicKey(
    new Map<number, number | Uint8Array>([
      [CoseKey.kty, CoseKty.EC2],
      [CoseKey.alg, CoseAlgorithm.ES256],
      [CoseKey.crv, CoseCurve.P256],
      [CoseKey.x, point.subarray(1, 33)],
      [CoseKey.y, point.subarray(33)],
    ]),
  );
}
