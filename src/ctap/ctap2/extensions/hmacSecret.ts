// The hmac-secret extension (CTAP 2.1 section 12.5), hmac-secret-mc (CTAP 2.2 "HMAC Secret MakeCredential Extension") and WebAuthn's prf salts.

import { createHash } from 'node:crypto';
import { concatBytes, copyBytes, zeroize } from '../../bytes.js';
import { optBool, optBytes } from '../../cbor/fields.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientError, ProtocolError } from '../../errors.js';
import type { Encapsulation, PinUvAuthProtocol } from '../pinUvAuthProtocol.js';
import {
  EXTENSION_OUTPUTS,
  ExtensionId,
  supportsExtension,
  type ExtensionInfo,
  type ExtensionInput,
} from './extension.js';

/** Section 12.5: each salt, and each output, is 32 bytes. */
export const HMAC_SECRET_SALT_SIZE = 32;

/** Section 12.5: keys of the hmac-secret getAssertion input map (hmac-secret-mc takes the same map). */
export const HmacSecretInputKey = {
  keyAgreement: 0x01,
  saltEnc: 0x02,
  saltAuth: 0x03,
  pinUvAuthProtocol: 0x04,
} as const;

/** WebAuthn Level 3 section 10.1.4 (prf): salts are SHA-256("WebAuthn PRF" || 0x00 || input). */
const PRF_CONTEXT = concatBytes(new TextEncoder().encode('WebAuthn PRF'), Uint8Array.of(0x00));

export function isHmacSecretSupported(info: ExtensionInfo): boolean {
  return supportsExtension(info, ExtensionId.hmacSecret);
}

/** hmac-secret-mc builds on hmac-secret: a key must list both for the salts to be evaluated at makeCredential. */
export function isHmacSecretMcSupported(info: ExtensionInfo): boolean {
  return isHmacSecretSupported(info) && supportsExtension(info, ExtensionId.hmacSecretMc);
}

/** The makeCredential input `hmac-secret: true` (WebAuthn's hmacCreateSecret): give the credential its secrets. */
export function hmacSecretCreateInput(): ExtensionInput {
  return { id: ExtensionId.hmacSecret, input: true };
}

/** makeCredential output: whether the credential got hmac-secret; undefined when the key did not say. */
export function parseHmacSecretCreateOutput(extensions: CborMap | undefined): boolean | undefined {
  return extensions ? optBool(extensions, ExtensionId.hmacSecret, EXTENSION_OUTPUTS) : undefined;
}

/** One or two salts (WebAuthn's hmacGetSecret names). Two salts let a caller roll a secret over in one touch. */
export interface HmacSecretSalts {
  /** 32 bytes. */
  salt1: Uint8Array;
  /** 32 bytes. @default none: one output */
  salt2?: Uint8Array | undefined;
}

/** The shared secret the salts are encrypted with: ClientPin.getSharedSecret() and the protocol of that ClientPin. */
export interface HmacSecretKeyAgreement {
  protocol: PinUvAuthProtocol;
  /** Not disposed here: the caller disposes of it once the output is decrypted. */
  encapsulation: Encapsulation;
}

/** Options of {@link hmacSecretGetInput} and {@link hmacSecretMcInput}. */
export interface HmacSecretInputOptions extends HmacSecretKeyAgreement, HmacSecretSalts {
  /**
   * Protocol two only: the IV of saltEnc. Only for known-answer tests.
   * @default 16 random bytes
   */
  iv?: Uint8Array;
}

/** Options of {@link parseHmacSecretOutput} and {@link parseHmacSecretMcOutput}. */
export interface HmacSecretOutputOptions extends HmacSecretKeyAgreement {
  /** How many salts the request carried, hence how many outputs to expect. */
  saltCount: 1 | 2;
}

/**
 * The getAssertion input `hmac-secret: {1: keyAgreement, 2: saltEnc, 3: saltAuth, 4: pinUvAuthProtocol}`, with
 * saltEnc = encrypt(shared secret, salt1 || salt2) and saltAuth = authenticate(shared secret, saltEnc). The protocol
 * number goes out only for protocol two: section 12.5 makes one the default, and CTAP 2.0 keys know no key 4.
 *
 * The key answers with different secrets with and without user verification (CredRandomWithUV / WithoutUV): always
 * ask the same way for the same use.
 */
export function hmacSecretGetInput(options: HmacSecretInputOptions): ExtensionInput {
  return { id: ExtensionId.hmacSecret, input: saltInput(options) };
}

/**
 * The makeCredential input `hmac-secret-mc` (CTAP 2.2): the same map as {@link hmacSecretGetInput}, evaluated while the
 * credential is made. Send it with {@link hmacSecretCreateInput}, and only to a key where {@link isHmacSecretMcSupported}.
 */
export function hmacSecretMcInput(options: HmacSecretInputOptions): ExtensionInput {
  return { id: ExtensionId.hmacSecretMc, input: saltInput(options) };
}

/** getAssertion output: the decrypted outputs, or undefined when the key sent none. Dispose of the result when done. */
export function parseHmacSecretOutput(
  extensions: CborMap | undefined,
  options: HmacSecretOutputOptions,
): HmacSecretOutput | undefined {
  return decryptOutput(extensions, ExtensionId.hmacSecret, options);
}

/** makeCredential output of hmac-secret-mc: the decrypted outputs, or undefined when the key sent none. */
export function parseHmacSecretMcOutput(
  extensions: CborMap | undefined,
  options: HmacSecretOutputOptions,
): HmacSecretOutput | undefined {
  return decryptOutput(extensions, ExtensionId.hmacSecretMc, options);
}

/** The one or two 32-byte secrets (WebAuthn's output1 / output2, prf's first / second). Zeroed by dispose(). */
export class HmacSecretOutput {
  readonly #output1: Uint8Array;
  readonly #output2: Uint8Array | undefined;

  constructor(output1: Uint8Array, output2?: Uint8Array) {
    this.#output1 = output1;
    this.#output2 = output2;
  }

  /** HMAC-SHA-256(CredRandom, salt1). */
  get output1(): Uint8Array {
    return this.#output1;
  }

  /** HMAC-SHA-256(CredRandom, salt2), when two salts were sent. */
  get output2(): Uint8Array | undefined {
    return this.#output2;
  }

  dispose(): void {
    zeroize(this.#output1, this.#output2);
  }

  // Keeps the secrets out of console.log and util.inspect output.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `HmacSecretOutput { outputs: ${this.#output2 ? 2 : 1} (redacted) }`;
  }
}

/** A prf input (any length) as an hmac-secret salt: SHA-256("WebAuthn PRF" || 0x00 || input). */
export function prfSalt(input: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(PRF_CONTEXT).update(input).digest());
}

/** WebAuthn's prf `eval` values. */
export interface PrfValues {
  first: Uint8Array;
  second?: Uint8Array | undefined;
}

/** The hmac-secret salts for a prf evaluation: first -> salt1, second -> salt2. */
export function prfSalts(values: PrfValues): HmacSecretSalts {
  return { salt1: prfSalt(values.first), salt2: values.second === undefined ? undefined : prfSalt(values.second) };
}

function saltInput(options: HmacSecretInputOptions): Map<number, CborInput> {
  const { protocol, encapsulation, salt1, salt2 } = options;
  checkSalt(salt1, 'salt1');
  if (salt2 !== undefined) checkSalt(salt2, 'salt2');
  const salts = salt2 === undefined ? copyBytes(salt1) : concatBytes(salt1, salt2);
  try {
    const saltEnc = protocol.encrypt(
      encapsulation.sharedSecret,
      salts,
      options.iv === undefined ? {} : { iv: options.iv },
    );
    const saltAuth = protocol.authenticate(encapsulation.sharedSecret, saltEnc);
    const input = new Map<number, CborInput>([
      [HmacSecretInputKey.keyAgreement, encapsulation.keyAgreement],
      [HmacSecretInputKey.saltEnc, saltEnc],
      [HmacSecretInputKey.saltAuth, saltAuth],
    ]);
    if (protocol.version !== 1) input.set(HmacSecretInputKey.pinUvAuthProtocol, protocol.version);
    return input;
  } finally {
    zeroize(salts);
  }
}

function checkSalt(salt: Uint8Array, name: string): void {
  if (salt.length !== HMAC_SECRET_SALT_SIZE) {
    throw new ClientError(
      'bad-request',
      `hmac-secret ${name} must be ${HMAC_SECRET_SALT_SIZE} bytes, got ${salt.length}.`,
    );
  }
}

function decryptOutput(
  extensions: CborMap | undefined,
  id: ExtensionId,
  options: HmacSecretOutputOptions,
): HmacSecretOutput | undefined {
  const encrypted = extensions ? optBytes(extensions, id, EXTENSION_OUTPUTS) : undefined;
  if (encrypted === undefined) return undefined;
  const { protocol, encapsulation, saltCount } = options;
  // Protocol two prefixes its 16-byte IV; the length tells a one-salt answer from a two-salt one before decrypting.
  const ivLength = protocol.version === 2 ? 16 : 0;
  const expected = ivLength + saltCount * HMAC_SECRET_SALT_SIZE;
  if (encrypted.length !== expected) {
    throw new ProtocolError(
      `${EXTENSION_OUTPUTS} field "${id}" is ${encrypted.length} bytes, expected ${expected} (${saltCount} output${saltCount === 1 ? '' : 's'}, protocol ${protocol.version})`,
    );
  }
  const plain = protocol.decrypt(encapsulation.sharedSecret, encrypted);
  try {
    return new HmacSecretOutput(
      copyBytes(plain.subarray(0, HMAC_SECRET_SALT_SIZE)),
      saltCount === 2 ? copyBytes(plain.subarray(HMAC_SECRET_SALT_SIZE, 2 * HMAC_SECRET_SALT_SIZE)) : undefined,
    );
  } finally {
    zeroize(plain);
  }
}
