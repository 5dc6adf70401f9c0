// COSE_Key (RFC 9052/9053) to and from node:crypto public keys, for the algorithms FIDO keys use.

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CborMap, CborValue } from '../cbor/types.js';
import { ProtocolError } from '../errors.js';
import { toBase64Url, fromBase64Url } from '../bytes.js';

/** COSE key parameters and values (RFC 9053 section 7). */
export const CoseKey = {
  kty: 1,
  alg: 3,
  crv: -1,
  x: -2,
  y: -3,
  n: -1,
  e: -2,
} as const;

export const CoseKty = { OKP: 1, EC2: 2, RSA: 3 } as const;
export const CoseCurve = { P256: 1, P384: 2, P521: 3, Ed25519: 6 } as const;

const EC_CURVES: Readonly<Record<number, { name: string; size: number }>> = {
  [CoseCurve.P256]: { name: 'P-256', size: 32 },
  [CoseCurve.P384]: { name: 'P-384', size: 48 },
  [CoseCurve.P521]: { name: 'P-521', size: 66 },
};

function bytesParam(key: CborMap, label: number, what: string): Uint8Array {
  const value = key.get(label);
  if (!(value instanceof Uint8Array))
    throw new ProtocolError(`COSE key parameter ${label} (${what}) is missing or not a byte string`);
  return value;
}

/** Builds a public KeyObject from a COSE_Key map; throws ProtocolError naming what is malformed. */
export function coseToPublicKey(value: CborValue): KeyObject {
  if (!(value instanceof Map)) throw new ProtocolError('COSE key is not a map');
  const key: CborMap = value;
  const kty = key.get(CoseKey.kty);
  try {
    if (kty === CoseKty.EC2) {
      const crv = key.get(CoseKey.crv);
      const curve = typeof crv === 'number' ? EC_CURVES[crv] : undefined;
      if (!curve) throw new ProtocolError(`COSE EC2 key has unsupported curve ${String(crv)}`);
      const x = bytesParam(key, CoseKey.x, 'x');
      const y = bytesParam(key, CoseKey.y, 'y');
      if (x.length !== curve.size || y.length !== curve.size) {
        throw new ProtocolError(
          `COSE ${curve.name} key coordinates are ${x.length} and ${y.length} bytes, expected ${curve.size}`,
        );
      }
      return createPublicKey({
        key: { kty: 'EC', crv: curve.name, x: toBase64Url(x), y: toBase64Url(y) },
        format: 'jwk',
      });
    }
    if (kty === CoseKty.OKP) {
      const crv = key.get(CoseKey.crv);
      if (crv !== CoseCurve.Ed25519) throw new ProtocolError(`COSE OKP key has unsupported curve ${String(crv)}`);
      const x = bytesParam(key, CoseKey.x, 'x');
      if (x.length !== 32) throw new ProtocolError(`COSE Ed25519 key is ${x.length} bytes, expected 32`);
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(x) }, format: 'jwk' });
    }
    if (kty === CoseKty.RSA) {
      const n = bytesParam(key, CoseKey.n, 'n');
      const e = bytesParam(key, CoseKey.e, 'e');
      return createPublicKey({ key: { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e) }, format: 'jwk' });
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`COSE key is not a valid public key: ${(error as Error).message}`, { cause: error });
  }
  throw new ProtocolError(`COSE key type ${String(kty)} is not supported`);
}

/** The COSE_Key map for an EC2 or OKP public key, with the given COSE algorithm. */
export function publicKeyToCose(publicKey: KeyObject, alg: number): Map<number, number | Uint8Array> {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty === 'EC') {
    const crv = Object.entries(EC_CURVES).find(([, c]) => c.name === jwk.crv)?.[0];
    if (!crv || !jwk.x || !jwk.y) throw new TypeError(`unsupported EC curve ${String(jwk.crv)}`);
    return new Map<number, number | Uint8Array>([
      [CoseKey.kty, CoseKty.EC2],
      [CoseKey.alg, alg],
      [CoseKey.crv, Number(crv)],
      [CoseKey.x, fromBase64Url(jwk.x)],
      [CoseKey.y, fromBase64Url(jwk.y)],
    ]);
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    return new Map<number, number | Uint8Array>([
      [CoseKey.kty, CoseKty.OKP],
      [CoseKey.alg, alg],
      [CoseKey.crv, CoseCurve.Ed25519],
      [CoseKey.x, fromBase64Url(jwk.x)],
    ]);
  }
  throw new TypeError(`unsupported key type ${String(jwk.kty)}`);
}

/** Length of a U2F public key: the uncompressed P-256 point 0x04 || x || y. */
const U2F_POINT_SIZE = 65;
/** COSE algorithm ES256 (RFC 9053 section 2.1), the only one U2F has. */
const COSE_ES256 = -7;

/**
 * The COSE_Key (EC2, P-256, ES256) of a U2F public key, the uncompressed point 0x04 || x || y that U2F register
 * answers with: what WebAuthn Level 3 section 8.6 puts in the authenticator data of a fido-u2f registration.
 */
export function u2fPublicKeyToCose(point: Uint8Array): Map<number, number | Uint8Array> {
  if (point.length !== U2F_POINT_SIZE || point[0] !== 0x04) {
    throw new ProtocolError(
      `U2F public key is ${point.length} bytes starting 0x${(point[0] ?? 0).toString(16)}, expected ${U2F_POINT_SIZE} bytes starting 0x04`,
    );
  }
  return new Map<number, number | Uint8Array>([
    [CoseKey.kty, CoseKty.EC2],
    [CoseKey.alg, COSE_ES256],
    [CoseKey.crv, CoseCurve.P256],
    [CoseKey.x, point.slice(1, 33)],
    [CoseKey.y, point.slice(33)],
  ]);
}
