// authenticatorMakeCredential request encoding and response parsing (CTAP 2.2 section 6.1).

import type { CborDecodeOptions } from '../cbor/decode.js';
import type { CborInput } from '../cbor/encode.js';
import type { CborMap, CborValue } from '../cbor/types.js';
import { asMap, optBool, optBytes, optMap, reqBytes, reqMap, reqText } from '../cbor/fields.js';
import { parseAuthenticatorData, type AuthenticatorData } from './authenticatorData.js';
import { MakeCredentialParam, MakeCredentialResponseKey } from './constants.js';
import {
  descriptorToCbor,
  rpToCbor,
  userToCbor,
  type CredentialDescriptor,
  type CredentialParameters,
  type ExtensionMap,
  type RelyingPartyEntity,
  type UserEntity,
} from './entities.js';

export interface MakeCredentialOptions {
  rk?: boolean;
  up?: boolean;
  uv?: boolean;
}

/** Parameters named as in the spec. */
export interface MakeCredentialParams {
  clientDataHash: Uint8Array;
  rp: RelyingPartyEntity;
  user: UserEntity;
  pubKeyCredParams: CredentialParameters[];
  excludeList?: CredentialDescriptor[];
  extensions?: ExtensionMap;
  options?: MakeCredentialOptions;
  pinUvAuthParam?: Uint8Array;
  pinUvAuthProtocol?: number;
  enterpriseAttestation?: number;
  attestationFormatsPreference?: string[];
}

export interface AttestationResponse {
  fmt: string;
  authData: AuthenticatorData;
  attStmt: CborMap;
  epAtt?: boolean;
  largeBlobKey?: Uint8Array;
  unsignedExtensionOutputs?: CborMap;
}

export function encodeMakeCredentialParams(p: MakeCredentialParams): Map<number, CborInput | undefined> {
  return new Map<number, CborInput | undefined>([
    [MakeCredentialParam.clientDataHash, p.clientDataHash],
    [MakeCredentialParam.rp, rpToCbor(p.rp)],
    [MakeCredentialParam.user, userToCbor(p.user)],
    [MakeCredentialParam.pubKeyCredParams, p.pubKeyCredParams.map((c) => ({ type: c.type, alg: c.alg }))],
    [MakeCredentialParam.excludeList, p.excludeList?.length ? p.excludeList.map(descriptorToCbor) : undefined],
    [MakeCredentialParam.extensions, extensionsToCbor(p.extensions)],
    [MakeCredentialParam.options, optionsToCbor(p.options)],
    [MakeCredentialParam.pinUvAuthParam, p.pinUvAuthParam],
    [MakeCredentialParam.pinUvAuthProtocol, p.pinUvAuthProtocol],
    [MakeCredentialParam.enterpriseAttestation, p.enterpriseAttestation],
    [MakeCredentialParam.attestationFormatsPreference, p.attestationFormatsPreference],
  ]);
}

export function extensionsToCbor(extensions: ExtensionMap | undefined): CborInput | undefined {
  if (!extensions) return undefined;
  const entries = extensions instanceof Map ? [...extensions.entries()] : Object.entries(extensions);
  return entries.length ? new Map(entries) : undefined;
}

/** Options go out only when set, so keys that predate an option never see it. */
export function optionsToCbor(options: object | undefined): CborInput | undefined {
  if (!options) return undefined;
  const set = Object.entries(options as Record<string, boolean | undefined>).filter(([, v]) => v !== undefined) as [
    string,
    boolean,
  ][];
  return set.length ? Object.fromEntries(set) : undefined;
}

const WHERE = 'makeCredential response';

export function parseAttestationResponse(value: CborValue, cbor: CborDecodeOptions = {}): AttestationResponse {
  const map = asMap(value, WHERE);
  const out: AttestationResponse = {
    fmt: reqText(map, MakeCredentialResponseKey.fmt, WHERE),
    authData: parseAuthenticatorData(reqBytes(map, MakeCredentialResponseKey.authData, WHERE), cbor),
    attStmt: reqMap(map, MakeCredentialResponseKey.attStmt, WHERE),
  };
  const epAtt = optBool(map, MakeCredentialResponseKey.epAtt, WHERE);
  const largeBlobKey = optBytes(map, MakeCredentialResponseKey.largeBlobKey, WHERE);
  const unsigned = optMap(map, MakeCredentialResponseKey.unsignedExtensionOutputs, WHERE);
  if (epAtt !== undefined) out.epAtt = epAtt;
  if (largeBlobKey) out.largeBlobKey = largeBlobKey;
  if (unsigned) out.unsignedExtensionOutputs = unsigned;
  return out;
}
