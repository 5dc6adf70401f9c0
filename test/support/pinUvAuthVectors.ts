// The PIN/UV auth protocol vectors computed with python-fido2 (test/fixtures/pin-uv-auth-vectors.json) and protocols pinned to them.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CborValue } from '../../src/ctap/cbor/types.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type EncapsulateOptions,
  type Encapsulation,
  type EncryptOptions,
} from '../../src/ctap/ctap2/pinUvAuthProtocol.js';

export interface Point {
  x: string;
  y: string;
}

export interface ProtocolVectors {
  platformPublic: Point;
  sharedSecret: string;
  pinHashEnc1234: string;
  newPinEncMultibyte: string;
  setPinParamMultibyte: string;
  token: string;
  tokenEnc: string;
  tokenParam: string;
}

export interface Flow {
  name: string;
  protocol: 1 | 2;
  peer: string;
  options: Record<string, boolean>;
  calls: { request: string; response: string }[];
  token?: string;
  result?: (number | null)[];
}

export interface Vectors {
  platformPrivateKey: string;
  peers: Record<'pythonFido2Tests' | 'libfido2AuthKey', Point>;
  v2Iv: string;
  clientDataHash: string;
  pin: string;
  newPin: string;
  multibytePin: string;
  protocols: Record<'1' | '2', Record<'pythonFido2Tests' | 'libfido2AuthKey', ProtocolVectors>>;
  flows: Flow[];
  libfido2: { authKey: string; pinToken: string; retries: string };
}

export const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/pin-uv-auth-vectors.json', import.meta.url)), 'utf8'),
) as Vectors;

export function unhex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A keyAgreement COSE_Key for a point given as hex coordinates. */
export function coseKey(point: Point): Map<number, CborValue> {
  return new Map<number, CborValue>([
    [1, 2],
    [3, -25],
    [-1, 1],
    [-2, unhex(point.x)],
    [-3, unhex(point.y)],
  ]);
}

const pinnedKey = unhex(vectors.platformPrivateKey);
const pinnedIv = unhex(vectors.v2Iv);

/** Protocol one with python-fido2's platform key instead of a fresh one, so exchanges replay byte for byte. */
export class PinnedV1 extends PinUvAuthProtocolV1 {
  override encapsulate(peerCoseKey: CborValue, options: EncapsulateOptions = {}): Encapsulation {
    return super.encapsulate(peerCoseKey, { ephemeralPrivateKey: pinnedKey, ...options });
  }
}

/** Protocol two with the pinned platform key and the pinned IV. */
export class PinnedV2 extends PinUvAuthProtocolV2 {
  override encapsulate(peerCoseKey: CborValue, options: EncapsulateOptions = {}): Encapsulation {
    return super.encapsulate(peerCoseKey, { ephemeralPrivateKey: pinnedKey, ...options });
  }

  override encrypt(key: Uint8Array, plaintext: Uint8Array, options: EncryptOptions = {}): Uint8Array {
    return super.encrypt(key, plaintext, { iv: pinnedIv, ...options });
  }
}

/** `LATCHKEY_FUZZ_RUNS` (default 200): how many cases each property test tries. */
export const fuzzRuns = Number(process.env.LATCHKEY_FUZZ_RUNS ?? 200);
