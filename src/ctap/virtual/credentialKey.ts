// Credential key pairs of the virtual key: generation from raw private scalars, signatures and COSE public keys (ES256, EdDSA).

import { createPrivateKey, createPublicKey, randomFillSync, sign, type KeyObject } from 'node:crypto';
import { concatBytes, zeroize } from '../bytes.js';
import { encodeCbor } from '../cbor/encode.js';
import { publicKeyToCose } from '../cose/coseKey.js';
import { CoseAlgorithm } from '../ctap2/constants.js';

export type CredentialAlgorithm = typeof CoseAlgorithm.ES256 | typeof CoseAlgorithm.EdDSA;

export const PRIVATE_SCALAR_SIZE = 32;

// PKCS#8 headers for a bare 32-byte private scalar (RFC 5915 ECPrivateKey without the optional public key, and
// RFC 8410 Ed25519). Building keys from raw scalars lets credential IDs wrap 32 bytes instead of a whole DER key.
const PKCS8_PREFIX: Readonly<Record<CredentialAlgorithm, Uint8Array>> = {
  [CoseAlgorithm.ES256]: Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'),
  [CoseAlgorithm.EdDSA]: Buffer.from('302e020100300506032b657004220420', 'hex'),
};

/** The order of the P-256 group (SEC 2 section 2.4.2): a private scalar must lie in [1, n-1]. */
const P256_ORDER = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');

export function isCredentialAlgorithm(alg: number): alg is CredentialAlgorithm {
  return alg === CoseAlgorithm.ES256 || alg === CoseAlgorithm.EdDSA;
}

/** A fresh random private scalar for `alg`. The caller owns it and must zeroize it. */
export function generatePrivateScalar(alg: CredentialAlgorithm): Uint8Array {
  while (true) {
    // Filled in place, so no second copy of the secret is left behind for the garbage collector.
    const scalar = randomFillSync(new Uint8Array(PRIVATE_SCALAR_SIZE));
    // Any 32 bytes are an Ed25519 seed; a P-256 scalar outside [1, n-1] is redrawn (probability about 2^-32).
    if (alg === CoseAlgorithm.EdDSA || isValidP256Scalar(scalar)) return scalar;
    zeroize(scalar);
  }
}

function isValidP256Scalar(scalar: Uint8Array): boolean {
  return scalar.some((b) => b !== 0) && Buffer.compare(scalar, P256_ORDER) < 0;
}

/** Imports a raw private scalar as a KeyObject; the transient DER copy is zeroized, the scalar is left to the caller. */
export function privateKeyFromScalar(alg: CredentialAlgorithm, scalar: Uint8Array): KeyObject {
  if (scalar.length !== PRIVATE_SCALAR_SIZE)
    throw new RangeError(`private scalar is ${scalar.length} bytes, expected ${PRIVATE_SCALAR_SIZE}`);
  const der = concatBytes(PKCS8_PREFIX[alg], scalar);
  try {
    return createPrivateKey({
      key: Buffer.from(der.buffer, der.byteOffset, der.byteLength),
      format: 'der',
      type: 'pkcs8',
    });
  } finally {
    zeroize(der);
  }
}

/** Imports a PKCS#8 DER private key (the state JSON form) and checks it matches `alg`. */
export function privateKeyFromPkcs8(alg: CredentialAlgorithm, der: Uint8Array): KeyObject {
  const key = createPrivateKey({
    key: Buffer.from(der.buffer, der.byteOffset, der.byteLength),
    format: 'der',
    type: 'pkcs8',
  });
  const expected = alg === CoseAlgorithm.ES256 ? 'ec' : 'ed25519';
  if (key.asymmetricKeyType !== expected) {
    throw new TypeError(
      `private key is ${String(key.asymmetricKeyType)}, expected ${expected} for COSE algorithm ${alg}`,
    );
  }
  return key;
}

/** The signature a key of `alg` makes over `data`: ES256 as DER (WebAuthn's form), EdDSA raw. */
export function signWithCredential(alg: CredentialAlgorithm, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  const signature =
    alg === CoseAlgorithm.ES256
      ? sign('sha256', data, { key: privateKey, dsaEncoding: 'der' })
      : sign(null, data, privateKey);
  return new Uint8Array(signature);
}

/** The credential public key as canonical CBOR COSE_Key, as it goes into attested credential data. */
export function encodedCosePublicKey(alg: CredentialAlgorithm, privateKey: KeyObject): Uint8Array {
  return encodeCbor(publicKeyToCose(createPublicKey(privateKey), alg));
}
