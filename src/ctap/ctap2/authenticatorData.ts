// Authenticator data parsing (WebAuthn Level 3 section 6.1), keeping the raw bytes beside every parsed field.

import { decodeCborPrefix, type CborDecodeOptions } from '../cbor/decode.js';
import { CborError } from '../cbor/CborError.js';
import type { CborMap } from '../cbor/types.js';
import { ProtocolError } from '../errors.js';
import { AuthDataFlag } from './constants.js';

export interface AuthenticatorDataFlags {
  /** The whole flags byte, including bits with no name yet. */
  value: number;
  up: boolean;
  uv: boolean;
  be: boolean;
  bs: boolean;
  at: boolean;
  ed: boolean;
}

export interface AttestedCredentialData {
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** The credential public key as a COSE_Key map. */
  publicKey: CborMap;
  /** The COSE_Key exactly as the key encoded it. */
  publicKeyRaw: Uint8Array;
}

export interface AuthenticatorData {
  raw: Uint8Array;
  rpIdHash: Uint8Array;
  flags: AuthenticatorDataFlags;
  signCount: number;
  attestedCredentialData?: AttestedCredentialData;
  extensions?: CborMap;
}

const FIXED_PART = 37; // rpIdHash(32) flags(1) signCount(4)

export function parseAuthenticatorData(raw: Uint8Array, cbor: CborDecodeOptions = {}): AuthenticatorData {
  if (raw.length < FIXED_PART)
    throw new ProtocolError(`authenticator data is ${raw.length} bytes, expected at least ${FIXED_PART}`);
  const flagsByte = raw[32]!;
  const flags: AuthenticatorDataFlags = {
    value: flagsByte,
    up: (flagsByte & AuthDataFlag.UP) !== 0,
    uv: (flagsByte & AuthDataFlag.UV) !== 0,
    be: (flagsByte & AuthDataFlag.BE) !== 0,
    bs: (flagsByte & AuthDataFlag.BS) !== 0,
    at: (flagsByte & AuthDataFlag.AT) !== 0,
    ed: (flagsByte & AuthDataFlag.ED) !== 0,
  };
  const signCount = ((raw[33]! << 24) | (raw[34]! << 16) | (raw[35]! << 8) | raw[36]!) >>> 0;
  // A copy, not a view: a view of raw's few on-heap bytes makes V8 move them off the heap first, on every parse.
  const out: AuthenticatorData = { raw, rpIdHash: raw.slice(0, 32), flags, signCount };
  let at = FIXED_PART;

  if (flags.at) {
    if (raw.length < at + 18)
      throw new ProtocolError(
        `authenticator data has the AT flag but only ${raw.length} bytes, too short for attested credential data`,
      );
    const aaguid = raw.subarray(at, at + 16);
    const idLength = (raw[at + 16]! << 8) | raw[at + 17]!;
    at += 18;
    if (at + idLength > raw.length)
      throw new ProtocolError(`credential id length ${idLength} runs past the end of the authenticator data`);
    const credentialId = raw.subarray(at, at + idLength);
    at += idLength;
    const key = decodeIn(raw, at, 'credential public key', cbor);
    if (!(key.value instanceof Map)) throw new ProtocolError('credential public key is not a COSE_Key map');
    out.attestedCredentialData = {
      aaguid,
      credentialId,
      publicKey: key.value,
      publicKeyRaw: raw.subarray(at, key.end),
    };
    at = key.end;
  }
  if (flags.ed) {
    const ext = decodeIn(raw, at, 'extensions', cbor);
    if (!(ext.value instanceof Map)) throw new ProtocolError('authenticator data extensions are not a map');
    out.extensions = ext.value;
    at = ext.end;
  }
  if (at !== raw.length) {
    throw new ProtocolError(
      `authenticator data has ${raw.length - at} unexpected byte(s) after offset ${at} (flags 0x${flagsByte.toString(16).padStart(2, '0')})`,
    );
  }
  return out;
}

function decodeIn(raw: Uint8Array, offset: number, what: string, cbor: CborDecodeOptions) {
  try {
    return decodeCborPrefix(raw, offset, cbor);
  } catch (error) {
    if (error instanceof CborError)
      throw new ProtocolError(`authenticator data ${what}: ${error.message}`, { cause: error });
    throw error;
  }
}
