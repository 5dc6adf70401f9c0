// A software U2F-only key (FIDO U2F Raw Message Formats over CTAPHID_MSG) with its own self-signed attestation certificate, for fido-u2f tests a verifier can check.

import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { concatBytes, equalBytes, fromHex } from '../../../src/ctap/bytes.js';
import { CtapHidCmd } from '../../../src/ctap/hid/constants.js';
import type { CallOptions, CtapDevice } from '../../../src/ctap/transport.js';

const SW_OK = fromHex('9000');
const SW_CONDITIONS_NOT_SATISFIED = fromHex('6985');
const SW_WRONG_DATA = fromHex('6a80');
const SW_INS_NOT_SUPPORTED = fromHex('6d00');

interface Registration {
  keyHandle: Uint8Array;
  appParam: Uint8Array;
  privateKey: KeyObject;
}

/**
 * Answers CTAP2 with CTAP1_ERR_INVALID_COMMAND (as U2F-only keys do), and U2F version, register and authenticate.
 * Each signing request is answered 6985 ("touch needed") `pollsBeforeTouch` times first, as a key waiting for a touch.
 */
export class SoftU2fKey implements CtapDevice {
  readonly transport = 'usb' as const;
  readonly maxPayloadSize = 7609;
  // Claims CBOR like a HID key whose INIT flags say so, so getInfo is tried and refused.
  readonly capabilities = { cbor: true, msg: true, wink: false, lock: true };
  readonly registrations: Registration[] = [];
  /** Each U2F instruction received, with its P1. */
  readonly log: { ins: number; p1: number }[] = [];
  counter = 0;
  readonly certificate: Uint8Array;
  readonly #attestationKey: KeyObject;
  #pending = 0;

  constructor(readonly pollsBeforeTouch = 1) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#attestationKey = privateKey;
    this.certificate = selfSignedCertificate(privateKey, publicKey, 'Latchkey Test U2F Attestation');
  }

  async call(cmd: number, payload: Uint8Array, _opts?: CallOptions): Promise<Uint8Array> {
    if (cmd === CtapHidCmd.CBOR) return Uint8Array.of(0x01);
    if (cmd !== CtapHidCmd.MSG) throw new Error(`SoftU2fKey got CTAPHID command 0x${cmd.toString(16)}`);
    const ins = payload[1]!;
    const p1 = payload[2]!;
    this.log.push({ ins, p1 });
    // Extended APDU: CLA INS P1 P2 00 Lc(2) data Le(2), or CLA INS P1 P2 00 Le(2) without data.
    const data = payload.length > 7 ? payload.subarray(7, 7 + ((payload[5]! << 8) | payload[6]!)) : new Uint8Array(0);
    switch (ins) {
      case 0x03:
        return concatBytes(new TextEncoder().encode('U2F_V2'), SW_OK);
      case 0x01:
        return this.#touched() ?? this.#register(data.subarray(0, 32), data.subarray(32, 64));
      case 0x02:
        return this.#authenticate(p1, data);
      default:
        return SW_INS_NOT_SUPPORTED;
    }
  }

  async close(): Promise<void> {}

  /** 6985 while the simulated user has not touched yet; undefined once touched. */
  #touched(): Uint8Array | undefined {
    if (this.#pending < this.pollsBeforeTouch) {
      this.#pending++;
      return SW_CONDITIONS_NOT_SATISFIED;
    }
    this.#pending = 0;
    return undefined;
  }

  #register(challengeParam: Uint8Array, appParam: Uint8Array): Uint8Array {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const point = rawPoint(publicKey);
    const keyHandle = new Uint8Array(randomBytes(64));
    this.registrations.push({ keyHandle, appParam: appParam.slice(), privateKey });
    const signed = concatBytes(Uint8Array.of(0x00), appParam, challengeParam, keyHandle, point);
    const signature = new Uint8Array(sign('sha256', signed, this.#attestationKey));
    return concatBytes(
      Uint8Array.of(0x05),
      point,
      Uint8Array.of(keyHandle.length),
      keyHandle,
      this.certificate,
      signature,
      SW_OK,
    );
  }

  #authenticate(p1: number, data: Uint8Array): Uint8Array {
    const challengeParam = data.subarray(0, 32);
    const appParam = data.subarray(32, 64);
    const keyHandle = data.subarray(65, 65 + data[64]!);
    const registration = this.registrations.find(
      (r) => equalBytes(r.keyHandle, keyHandle) && equalBytes(r.appParam, appParam),
    );
    if (!registration) return SW_WRONG_DATA;
    if (p1 === 0x07) return SW_CONDITIONS_NOT_SATISFIED;
    const waiting = this.#touched();
    if (waiting) return waiting;
    this.counter++;
    const counter = Uint8Array.of(
      this.counter >>> 24,
      (this.counter >>> 16) & 0xff,
      (this.counter >>> 8) & 0xff,
      this.counter & 0xff,
    );
    const signed = concatBytes(appParam, Uint8Array.of(0x01), counter, challengeParam);
    const signature = new Uint8Array(sign('sha256', signed, registration.privateKey));
    return concatBytes(Uint8Array.of(0x01), counter, signature, SW_OK);
  }
}

/** The uncompressed point 0x04 || x || y of a P-256 public key: the last 65 bytes of its SubjectPublicKeyInfo. */
function rawPoint(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(spki.subarray(spki.length - 65));
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

// A minimal X.509 v3 certificate in DER (RFC 5280 section 4.1), signed ecdsa-with-SHA256: node:crypto verifies but
// cannot issue certificates, and the recorded Yubico certificate's private key is not ours to sign with.
const ECDSA_WITH_SHA256 = fromHex('06082a8648ce3d040302');
const COMMON_NAME = fromHex('0603550403');

function der(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  const n = body.length;
  const length =
    n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff);
  return concatBytes(Uint8Array.of(tag), length, body);
}

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string): Uint8Array {
  const name = der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0c, new TextEncoder().encode(commonName)))));
  const time = (text: string) => der(0x17, new TextEncoder().encode(text));
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Uint8Array.of(2))),
    der(0x02, Uint8Array.of(0x01, 0x23, 0x45)),
    der(0x30, ECDSA_WITH_SHA256),
    name,
    der(0x30, time('250101000000Z'), time('450101000000Z')),
    name,
    new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  );
  const signature = new Uint8Array(sign('sha256', tbs, privateKey));
  return der(0x30, tbs, der(0x30, ECDSA_WITH_SHA256), der(0x03, Uint8Array.of(0x00), signature));
}
