// RegistrationResponseJSON and AuthenticationResponseJSON from what a key answered: attestation object, public key, transports, all base64url.

import type {
  AttestationConveyancePreference,
  AuthenticationExtensionsClientOutputs,
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { toBase64Url } from '../bytes.js';
import { encodeCbor, type CborInput } from '../cbor/encode.js';
import type { CborMap } from '../cbor/types.js';
import { CoseKey, coseToPublicKey } from '../cose/coseKey.js';
import type { CtapTransport } from '../transport.js';
import type { CollectedClientData } from './clientData.js';
import type { WebAuthnExtensionOutputs } from './types.js';

export interface Attestation {
  fmt: string;
  attStmt: CborMap | ReadonlyMap<string, CborInput>;
  /** The whole authenticator data, as the key signed it (or as built from a U2F answer). */
  authData: Uint8Array;
}

/**
 * What the relying party gets for its attestation preference (WebAuthn Level 3 section 5.4.7). For 'none' (the
 * default) the statement is replaced by the "none" format, so the attestation certificate, which can narrow a key down
 * to a batch, is not handed out unasked. The AAGUID stays: it names the model (Latchkey names keys by it) and is shared
 * by every key of that model. 'indirect', 'direct' and 'enterprise' get the key's own statement (no anonymization CA,
 * no enterprise attestation requested).
 */
export function conveyAttestation(
  attestation: Attestation,
  preference: AttestationConveyancePreference | undefined,
): Attestation {
  if ((preference ?? 'none') !== 'none') return attestation;
  return { fmt: 'none', attStmt: new Map(), authData: attestation.authData };
}

/** The attestation object (WebAuthn Level 3 section 6.5.4): {fmt, attStmt, authData} in canonical CBOR. */
export function encodeAttestationObject(attestation: Attestation): Uint8Array {
  return encodeCbor(
    new Map<string, CborInput>([
      ['fmt', attestation.fmt],
      ['attStmt', attestation.attStmt as ReadonlyMap<string, CborInput>],
      ['authData', attestation.authData],
    ]),
  );
}

export interface RegistrationParts {
  credentialId: Uint8Array;
  clientData: CollectedClientData;
  attestation: Attestation;
  /** The credential public key as COSE_Key. */
  publicKey: CborMap | ReadonlyMap<number, CborInput>;
  transports: readonly string[];
  extensions: WebAuthnExtensionOutputs;
}

export function registrationResponse(parts: RegistrationParts): RegistrationResponseJSON {
  const id = toBase64Url(parts.credentialId);
  const alg = parts.publicKey.get(CoseKey.alg);
  const spki = subjectPublicKeyInfo(parts.publicKey);
  return {
    id,
    rawId: id,
    response: {
      clientDataJSON: toBase64Url(parts.clientData.json),
      attestationObject: toBase64Url(encodeAttestationObject(parts.attestation)),
      authenticatorData: toBase64Url(parts.attestation.authData),
      transports: [...parts.transports],
      ...(typeof alg === 'number' ? { publicKeyAlgorithm: alg } : {}),
      ...(spki ? { publicKey: toBase64Url(spki) } : {}),
    },
    type: 'public-key',
    clientExtensionResults: extensionResults(parts.extensions),
    authenticatorAttachment: 'cross-platform',
  };
}

export interface AuthenticationParts {
  credentialId: Uint8Array;
  clientData: CollectedClientData;
  authData: Uint8Array;
  signature: Uint8Array;
  userHandle: Uint8Array | undefined;
  extensions: WebAuthnExtensionOutputs;
}

export function authenticationResponse(parts: AuthenticationParts): AuthenticationResponseJSON {
  const id = toBase64Url(parts.credentialId);
  return {
    id,
    rawId: id,
    response: {
      clientDataJSON: toBase64Url(parts.clientData.json),
      authenticatorData: toBase64Url(parts.authData),
      signature: toBase64Url(parts.signature),
      ...(parts.userHandle && parts.userHandle.length > 0 ? { userHandle: toBase64Url(parts.userHandle) } : {}),
    },
    type: 'public-key',
    clientExtensionResults: extensionResults(parts.extensions),
    authenticatorAttachment: 'cross-platform',
  };
}

/**
 * getTransports() (WebAuthn Level 3 section 5.2.1.3): what the key says it speaks, else the transport in use;
 * deduplicated and sorted as the spec asks. An in-process virtual key has no WebAuthn transport name.
 */
export function transportsOf(stated: readonly string[], inUse: CtapTransport): string[] {
  const all = stated.length > 0 ? stated : inUse === 'virtual' ? [] : [inUse];
  return [...new Set(all)].sort();
}

/** getPublicKey() (section 5.2.1.1): SubjectPublicKeyInfo DER, or undefined for an algorithm node cannot read. */
function subjectPublicKeyInfo(publicKey: CborMap | ReadonlyMap<number, CborInput>): Uint8Array | undefined {
  try {
    return new Uint8Array(coseToPublicKey(publicKey as CborMap).export({ format: 'der', type: 'spki' }));
  } catch {
    return undefined;
  }
}

/**
 * SimpleWebAuthn types prf results as BufferSource, the in-browser form; the JSON form (Level 3's
 * AuthenticationExtensionsClientOutputsJSON) that crosses to a server carries base64url text, as produced here.
 */
function extensionResults(outputs: WebAuthnExtensionOutputs): AuthenticationExtensionsClientOutputs {
  return outputs as AuthenticationExtensionsClientOutputs;
}
