// PIN/UV auth protocols one and two (CTAP 2.1 sections 6.5.4-6.5.7): key agreement, encryption and MACs for both the platform and the authenticator side.

import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type ECDH,
} from 'node:crypto';
import type { CborValue } from '../cbor/types.js';
import { describeValue } from '../cbor/fields.js';
import { copyBytes, zeroize } from '../bytes.js';
import { CoseCurve, CoseKey, CoseKty } from '../cose/coseKey.js';
import { ProtocolError } from '../errors.js';
import { CoseAlgorithm } from './constants.js';

/** What was wrong, for callers that branch on it (the virtual authenticator maps these to status codes). */
export type PinUvAuthProtocolProblem =
  | 'cose-key'
  | 'not-on-curve'
  | 'private-key'
  | 'key-length'
  | 'iv-length'
  | 'plaintext-length'
  | 'ciphertext-length'
  | 'token-length';

/** Key agreement or PIN/UV crypto input that breaks the protocol's rules; the message names the field and the value found. */
export class PinUvAuthProtocolError extends ProtocolError {
  override readonly name = 'PinUvAuthProtocolError';

  constructor(
    readonly problem: PinUvAuthProtocolProblem,
    message: string,
  ) {
    super(message);
  }
}

// COSE_Key labels and values for an EC2 P-256 key (RFC 9053 section 7.1, CTAP 2.1 section 6.5.6 getPublicKey).
const { kty: COSE_KTY, alg: COSE_ALG, crv: COSE_CRV, x: COSE_X, y: COSE_Y } = CoseKey;
const COSE_KTY_EC2 = CoseKty.EC2;
const COSE_CRV_P256 = CoseCurve.P256;

// NIST P-256 domain parameters (SEC 2 section 2.4.2): y^2 = x^3 - 3x + b over GF(p), subgroup order n.
const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const AES_BLOCK = 16;
const ZERO_IV = new Uint8Array(AES_BLOCK);
const HKDF_SALT = new Uint8Array(32);
const HKDF_INFO_HMAC = new TextEncoder().encode('CTAP2 HMAC key');
const HKDF_INFO_AES = new TextEncoder().encode('CTAP2 AES key');

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Copies a node:crypto Buffer into a plain Uint8Array of its own and wipes the Buffer, so the caller owns the only copy. */
function take(buffer: Uint8Array): Uint8Array {
  const out = new Uint8Array(buffer.length);
  out.set(buffer);
  buffer.fill(0);
  return out;
}

/**
 * Reads a peer's keyAgreement COSE_Key (kty EC2, alg -25, crv P-256, 32-byte x and y) and checks the point lies on
 * P-256, so a hostile key cannot steer ECDH into a small subgroup. Unknown labels are ignored.
 * @returns the point in SEC 1 uncompressed form (0x04 || x || y).
 */
export function parseKeyAgreementKey(value: CborValue): Uint8Array {
  if (!(value instanceof Map))
    throw new PinUvAuthProtocolError('cose-key', `keyAgreement is ${describeValue(value)}, expected a COSE_Key map`);
  const expectInt = (label: number, name: string, expected: number, meaning: string): void => {
    const found = value.get(label);
    if (found !== expected) {
      throw new PinUvAuthProtocolError(
        'cose-key',
        `keyAgreement COSE_Key ${name} (${label}) is ${describeValue(found)}, expected ${expected} (${meaning})`,
      );
    }
  };
  expectInt(COSE_KTY, 'kty', COSE_KTY_EC2, 'EC2');
  expectInt(COSE_ALG, 'alg', CoseAlgorithm.ECDH_ES_HKDF_256, 'ECDH-ES+HKDF-256');
  expectInt(COSE_CRV, 'crv', COSE_CRV_P256, 'P-256');
  const coordinate = (label: number, name: string): Uint8Array => {
    const found = value.get(label);
    if (!(found instanceof Uint8Array) || found.length !== 32) {
      throw new PinUvAuthProtocolError(
        'cose-key',
        `keyAgreement COSE_Key ${name} (${label}) is ${describeValue(found)}, expected a 32-byte string`,
      );
    }
    return found;
  };
  const x = coordinate(COSE_X, 'x');
  const y = coordinate(COSE_Y, 'y');
  const xn = toBigInt(x);
  const yn = toBigInt(y);
  if (xn >= P256_P || yn >= P256_P || (yn * yn - (xn * xn * xn - 3n * xn + P256_B)) % P256_P !== 0n) {
    throw new PinUvAuthProtocolError('not-on-curve', 'keyAgreement COSE_Key is not a point on P-256');
  }
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  return point;
}

/** A keyAgreement COSE_Key as this module writes it: integer labels, integer and byte-string values. */
export type CoseKeyAgreement = Map<number, number | Uint8Array>;

/** Options of {@link KeyAgreementKey.generate}. */
export interface KeyAgreementKeyOptions {
  /**
   * Use this 32-byte P-256 private scalar instead of a random one. Only for known-answer tests and replaying recorded
   * exchanges: a fixed key makes every shared secret predictable.
   * @default a fresh random key
   */
  privateKey?: Uint8Array;
}

/**
 * A P-256 key pair for ECDH: the platform's ephemeral key in encapsulate, and the authenticator's key agreement key
 * (CTAP 2.1 section 6.5.4 initialize / regenerate / getPublicKey).
 */
export class KeyAgreementKey {
  readonly #ecdh: ECDH;
  readonly #publicPoint: Uint8Array;

  private constructor(ecdh: ECDH) {
    this.#ecdh = ecdh;
    this.#publicPoint = take(ecdh.getPublicKey());
  }

  static generate(options: KeyAgreementKeyOptions = {}): KeyAgreementKey {
    const ecdh = createECDH('prime256v1');
    const { privateKey } = options;
    if (privateKey === undefined) {
      ecdh.generateKeys();
    } else {
      const d = privateKey.length === 32 ? toBigInt(privateKey) : 0n;
      if (d === 0n || d >= P256_N) {
        throw new PinUvAuthProtocolError(
          'private-key',
          `a P-256 private key is a 32-byte scalar in [1, n-1]; got ${privateKey.length} bytes`,
        );
      }
      ecdh.setPrivateKey(privateKey);
    }
    return new KeyAgreementKey(ecdh);
  }

  /** The public key as a keyAgreement COSE_Key; alg is -25 although that is not the algorithm used (the spec says so). */
  get publicKey(): CoseKeyAgreement {
    return new Map<number, number | Uint8Array>([
      [COSE_KTY, COSE_KTY_EC2],
      [COSE_ALG, CoseAlgorithm.ECDH_ES_HKDF_256],
      [COSE_CRV, COSE_CRV_P256],
      [COSE_X, this.#publicPoint.slice(1, 33)],
      [COSE_Y, this.#publicPoint.slice(33, 65)],
    ]);
  }

  /** Z: the x-coordinate of the ECDH product with a peer point from {@link parseKeyAgreementKey}. The caller zeroes it. */
  sharedPoint(peerPoint: Uint8Array): Uint8Array {
    try {
      return take(this.#ecdh.computeSecret(peerPoint));
    } catch (error) {
      throw new PinUvAuthProtocolError(
        'not-on-curve',
        `ECDH with the peer key failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Overwrites the private scalar. OpenSSL holds it where JavaScript cannot reach, so a throwaway key is generated
   * into the same EC_KEY in its place; the object is useless afterwards.
   */
  dispose(): void {
    this.#ecdh.generateKeys();
  }
}

/** Options of {@link PinUvAuthProtocol.encapsulate}. */
export interface EncapsulateOptions {
  /**
   * The platform's ephemeral private key (32 bytes). Only for known-answer tests: the spec wants a fresh key per
   * exchange.
   * @default a fresh random key
   */
  ephemeralPrivateKey?: Uint8Array;
}

/** Options of {@link PinUvAuthProtocol.encrypt}. */
export interface EncryptOptions {
  /**
   * Protocol two only: the 16-byte IV. Only for known-answer tests; protocol one always uses a zero IV.
   * @default 16 random bytes
   */
  iv?: Uint8Array;
}

/** The result of encapsulate: what to send as keyAgreement, and the shared secret to use and then dispose of. */
export class Encapsulation {
  readonly #sharedSecret: Uint8Array;

  constructor(
    /** The platform's public key, sent as the keyAgreement parameter. */
    readonly keyAgreement: CoseKeyAgreement,
    sharedSecret: Uint8Array,
  ) {
    this.#sharedSecret = sharedSecret;
  }

  /** kdf(Z): 32 bytes (protocol one) or 64 bytes (protocol two, HMAC key then AES key). Zeroed by dispose(). */
  get sharedSecret(): Uint8Array {
    return this.#sharedSecret;
  }

  dispose(): void {
    zeroize(this.#sharedSecret);
  }

  // Keeps the secret out of console.log and util.inspect output.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Encapsulation { sharedSecret: <${this.#sharedSecret.length} bytes redacted> }`;
  }
}

/** The abstract PIN/UV auth protocol (CTAP 2.1 section 6.5.4): both the platform and the authenticator interface. */
export abstract class PinUvAuthProtocol {
  /** The pinUvAuthProtocol number sent on the wire. */
  abstract readonly version: 1 | 2;
  /** Length of kdf(Z). */
  abstract readonly sharedSecretLength: number;
  /** Length of authenticate()'s output, the pinUvAuthParam. */
  abstract readonly authParamLength: number;

  protected abstract kdf(z: Uint8Array): Uint8Array;
  abstract encrypt(key: Uint8Array, plaintext: Uint8Array, options?: EncryptOptions): Uint8Array;
  abstract decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  abstract authenticate(key: Uint8Array, message: Uint8Array): Uint8Array;
  /** Throws unless `token` has a length this protocol allows for a pinUvAuthToken. */
  abstract validateToken(token: Uint8Array): void;

  /** Platform side: a fresh ephemeral key, ECDH with the authenticator's keyAgreement, and kdf. Dispose of the result. */
  encapsulate(peerCoseKey: CborValue, options: EncapsulateOptions = {}): Encapsulation {
    const peerPoint = parseKeyAgreementKey(peerCoseKey);
    const ephemeral = KeyAgreementKey.generate({ privateKey: options.ephemeralPrivateKey });
    try {
      return new Encapsulation(ephemeral.publicKey, this.ecdh(ephemeral, peerPoint));
    } finally {
      ephemeral.dispose();
    }
  }

  /** Authenticator side: the shared secret for the platform's keyAgreement. The caller zeroes it. */
  decapsulate(key: KeyAgreementKey, peerCoseKey: CborValue): Uint8Array {
    return this.ecdh(key, parseKeyAgreementKey(peerCoseKey));
  }

  /** Authenticator side: whether `signature` is authenticate(key, message), compared in constant time. */
  verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const expected = this.authenticate(key, message);
    try {
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    } finally {
      zeroize(expected);
    }
  }

  private ecdh(key: KeyAgreementKey, peerPoint: Uint8Array): Uint8Array {
    const z = key.sharedPoint(peerPoint);
    try {
      return this.kdf(z);
    } finally {
      zeroize(z);
    }
  }

  protected requireKeyLength(key: Uint8Array, expected: number, use: string): void {
    if (key.length !== expected) {
      throw new PinUvAuthProtocolError(
        'key-length',
        `PIN/UV auth protocol ${this.version} ${use} needs a ${expected}-byte key, got ${key.length} bytes`,
      );
    }
  }

  protected static aesCbc(mode: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
    // CTAP data is always whole blocks; padding would change the lengths the authenticator checks.
    const cipher =
      mode === 'encrypt' ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
    cipher.setAutoPadding(false);
    const head = cipher.update(data);
    const tail = cipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    zeroize(head, tail);
    return out;
  }

  protected static hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
    return take(createHmac('sha256', key).update(message).digest());
  }
}

/** PIN/UV auth protocol one (CTAP 2.1 section 6.5.6): SHA-256 KDF, AES-256-CBC with a zero IV, HMAC truncated to 16 bytes. */
export class PinUvAuthProtocolV1 extends PinUvAuthProtocol {
  readonly version = 1;
  readonly sharedSecretLength = 32;
  readonly authParamLength = 16;

  protected kdf(z: Uint8Array): Uint8Array {
    return take(createHash('sha256').update(z).digest());
  }

  encrypt(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
    this.requireKeyLength(key, 32, 'encrypt');
    if (plaintext.length % AES_BLOCK !== 0) {
      throw new PinUvAuthProtocolError(
        'plaintext-length',
        `plaintext of ${plaintext.length} bytes is not a whole number of 16-byte AES blocks`,
      );
    }
    return PinUvAuthProtocol.aesCbc('encrypt', key, ZERO_IV, plaintext);
  }

  decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.requireKeyLength(key, 32, 'decrypt');
    if (ciphertext.length % AES_BLOCK !== 0) {
      throw new PinUvAuthProtocolError(
        'ciphertext-length',
        `ciphertext of ${ciphertext.length} bytes is not a whole number of 16-byte AES blocks`,
      );
    }
    return PinUvAuthProtocol.aesCbc('decrypt', key, ZERO_IV, ciphertext);
  }

  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array {
    const mac = PinUvAuthProtocol.hmacSha256(key, message);
    const out = copyBytes(mac.subarray(0, 16));
    zeroize(mac);
    return out;
  }

  /** CTAP 2.0 keys hand out 16-byte pinTokens, CTAP 2.1 keys 32-byte pinUvAuthTokens. */
  validateToken(token: Uint8Array): void {
    if (token.length !== 16 && token.length !== 32) {
      throw new PinUvAuthProtocolError(
        'token-length',
        `protocol 1 pinUvAuthToken is ${token.length} bytes, expected 16 or 32`,
      );
    }
  }
}

/** PIN/UV auth protocol two (CTAP 2.1 section 6.5.7): HKDF-SHA-256 KDF, AES-256-CBC with a random IV prefix, full HMAC. */
export class PinUvAuthProtocolV2 extends PinUvAuthProtocol {
  readonly version = 2;
  readonly sharedSecretLength = 64;
  readonly authParamLength = 32;

  protected kdf(z: Uint8Array): Uint8Array {
    const hmacKey = new Uint8Array(hkdfSync('sha256', z, HKDF_SALT, HKDF_INFO_HMAC, 32));
    const aesKey = new Uint8Array(hkdfSync('sha256', z, HKDF_SALT, HKDF_INFO_AES, 32));
    const secret = new Uint8Array(64);
    secret.set(hmacKey);
    secret.set(aesKey, 32);
    zeroize(hmacKey, aesKey);
    return secret;
  }

  encrypt(key: Uint8Array, plaintext: Uint8Array, options: EncryptOptions = {}): Uint8Array {
    this.requireKeyLength(key, 64, 'encrypt');
    if (plaintext.length % AES_BLOCK !== 0) {
      throw new PinUvAuthProtocolError(
        'plaintext-length',
        `plaintext of ${plaintext.length} bytes is not a whole number of 16-byte AES blocks`,
      );
    }
    const iv = options.iv ?? new Uint8Array(randomBytes(AES_BLOCK));
    if (iv.length !== AES_BLOCK) throw new PinUvAuthProtocolError('iv-length', `IV is ${iv.length} bytes, expected 16`);
    const ct = PinUvAuthProtocol.aesCbc('encrypt', key.subarray(32), iv, plaintext);
    const out = new Uint8Array(AES_BLOCK + ct.length);
    out.set(iv);
    out.set(ct, AES_BLOCK);
    return out;
  }

  decrypt(key: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.requireKeyLength(key, 64, 'decrypt');
    if (ciphertext.length < AES_BLOCK || ciphertext.length % AES_BLOCK !== 0) {
      throw new PinUvAuthProtocolError(
        'ciphertext-length',
        `ciphertext of ${ciphertext.length} bytes is not a 16-byte IV followed by whole 16-byte AES blocks`,
      );
    }
    return PinUvAuthProtocol.aesCbc(
      'decrypt',
      key.subarray(32),
      ciphertext.subarray(0, AES_BLOCK),
      ciphertext.subarray(AES_BLOCK),
    );
  }

  /** A 64-byte shared secret authenticates with its first half (the HMAC key); a 32-byte token is used whole. */
  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array {
    if (key.length === 0)
      throw new PinUvAuthProtocolError('key-length', 'PIN/UV auth protocol 2 authenticate needs a key, got 0 bytes');
    return PinUvAuthProtocol.hmacSha256(key.length > 32 ? key.subarray(0, 32) : key, message);
  }

  validateToken(token: Uint8Array): void {
    if (token.length !== 32) {
      throw new PinUvAuthProtocolError(
        'token-length',
        `protocol 2 pinUvAuthToken is ${token.length} bytes, expected 32`,
      );
    }
  }
}
