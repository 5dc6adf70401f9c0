// Builds authenticator data as a key sends it (WebAuthn Level 3 section 6.1): rpIdHash | flags | signCount | attested credential | extensions.

import { createHash } from 'node:crypto';
import { concatBytes } from '../bytes.js';
import { AuthDataFlag } from '../ctap2/constants.js';

export interface AttestedCredential {
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** Canonical CBOR COSE_Key. */
  publicKey: Uint8Array;
}

export interface AuthenticatorDataInput {
  rpIdHash: Uint8Array;
  /** UP and UV; AT and ED follow from the parts present. */
  flags: number;
  signCount: number;
  attestedCredential?: AttestedCredential;
  /** Canonical CBOR map of extension outputs. */
  extensions?: Uint8Array;
}

export function rpIdHash(rpId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(rpId, 'utf8').digest());
}

export function buildAuthenticatorData(input: AuthenticatorDataInput): Uint8Array {
  let flags = input.flags & ~(AuthDataFlag.AT | AuthDataFlag.ED);
  const fixed = new Uint8Array(37);
  fixed.set(input.rpIdHash, 0);
  new DataView(fixed.buffer).setUint32(33, input.signCount);
  const parts: Uint8Array[] = [fixed];
  if (input.attestedCredential) {
    flags |= AuthDataFlag.AT;
    const { aaguid, credentialId, publicKey } = input.attestedCredential;
    const idLength = new Uint8Array(2);
    new DataView(idLength.buffer).setUint16(0, credentialId.length);
    parts.push(aaguid, idLength, credentialId, publicKey);
  }
  if (input.extensions) {
    flags |= AuthDataFlag.ED;
    parts.push(input.extensions);
  }
  fixed[32] = flags;
  return concatBytes(...parts);
}
