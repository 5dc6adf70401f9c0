// Self-contained credential IDs for non-discoverable credentials: the private key and its extension data wrapped under the device secret, bound to the RP.

import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { concatBytes, zeroize } from '../bytes.js';
import { CoseAlgorithm } from '../ctap2/constants.js';
import { PRIVATE_SCALAR_SIZE, privateKeyFromScalar, type CredentialAlgorithm } from './credentialKey.js';
import type { CredentialExtras } from './state.js';

// Layout: version(1) | nonce(12) | AES-256-GCM(algCode(1) | privateScalar(32) | credProtect(1) | flags(1) | credBlob) | tag(16),
// with AAD = version | rpIdHash. Like real keys (YubiKey, SoloKey, OpenSK) these take no storage, so what a credential
// must remember (credProtect, hmac-secret, credBlob) travels inside; binding the rpIdHash as AAD means an ID presented
// for another RP fails authentication, so it is simply not ours.
const FORMAT_VERSION = 0x02;
const NONCE_SIZE = 12;
const TAG_SIZE = 16;
const FIXED_PLAINTEXT_SIZE = 1 + PRIVATE_SCALAR_SIZE + 2;
/** The length of a wrapped ID without a credBlob; a credBlob adds its own length. */
export const WRAPPED_CREDENTIAL_ID_SIZE = 1 + NONCE_SIZE + FIXED_PLAINTEXT_SIZE + TAG_SIZE;
const FLAG_HMAC_SECRET = 0x01;

const ALG_CODES: ReadonlyMap<CredentialAlgorithm, number> = new Map([
  [CoseAlgorithm.ES256, 1],
  [CoseAlgorithm.EdDSA, 2],
]);

export interface UnwrappedCredential extends CredentialExtras {
  alg: CredentialAlgorithm;
  privateKey: KeyObject;
}

export function wrapCredentialId(
  wrappingKey: KeyObject,
  rpIdHash: Uint8Array,
  alg: CredentialAlgorithm,
  scalar: Uint8Array,
  extras: CredentialExtras,
): Uint8Array {
  const nonce = randomBytes(NONCE_SIZE);
  const header = Uint8Array.of(FORMAT_VERSION);
  const plaintext = concatBytes(
    Uint8Array.of(ALG_CODES.get(alg)!),
    scalar,
    Uint8Array.of(extras.credProtect, extras.hmacSecret ? FLAG_HMAC_SECRET : 0),
    extras.credBlob ?? new Uint8Array(0),
  );
  try {
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, nonce);
    cipher.setAAD(concatBytes(header, rpIdHash));
    const ciphertext = concatBytes(cipher.update(plaintext), cipher.final());
    return concatBytes(header, nonce, ciphertext, cipher.getAuthTag());
  } finally {
    zeroize(plaintext);
  }
}

/** The key and extension data inside a credential ID this device made for this RP, or undefined for any other ID. */
export function unwrapCredentialId(
  wrappingKey: KeyObject,
  rpIdHash: Uint8Array,
  id: Uint8Array,
): UnwrappedCredential | undefined {
  if (id.length < WRAPPED_CREDENTIAL_ID_SIZE || id[0] !== FORMAT_VERSION) return undefined;
  const nonce = id.subarray(1, 1 + NONCE_SIZE);
  const ciphertext = id.subarray(1 + NONCE_SIZE, id.length - TAG_SIZE);
  const tag = id.subarray(id.length - TAG_SIZE);
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, nonce);
  decipher.setAAD(concatBytes(id.subarray(0, 1), rpIdHash));
  decipher.setAuthTag(tag);
  // GCM is a stream mode: update() yields the whole plaintext (unauthenticated until final() succeeds).
  const plaintext: Uint8Array = decipher.update(ciphertext);
  try {
    decipher.final();
  } catch {
    // Authentication failed: another device's ID, another RP, a key from before a reset, or garbage.
    zeroize(plaintext);
    return undefined;
  }
  try {
    const alg = [...ALG_CODES].find(([, code]) => code === plaintext[0])?.[0];
    if (alg === undefined) return undefined;
    const credential: UnwrappedCredential = {
      alg,
      privateKey: privateKeyFromScalar(alg, plaintext.subarray(1, 1 + PRIVATE_SCALAR_SIZE)),
      credProtect: plaintext[1 + PRIVATE_SCALAR_SIZE]!,
      hmacSecret: (plaintext[2 + PRIVATE_SCALAR_SIZE]! & FLAG_HMAC_SECRET) !== 0,
    };
    // A copy: the plaintext (a Buffer, whose slice() would share memory) is zeroed below.
    const credBlob = new Uint8Array(plaintext.subarray(FIXED_PLAINTEXT_SIZE));
    if (credBlob.length > 0) credential.credBlob = credBlob;
    return credential;
  } finally {
    zeroize(plaintext);
  }
}
