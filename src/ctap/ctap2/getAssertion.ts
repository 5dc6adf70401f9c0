// authenticatorGetAssertion request encoding and (next) assertion response parsing (CTAP 2.2 sections 6.2 and 6.3).

import type { CborDecodeOptions } from '../cbor/decode.js';
import type { CborInput } from '../cbor/encode.js';
import type { CborMap, CborValue } from '../cbor/types.js';
import { asMap, optBool, optBytes, optMap, optUint, reqBytes, requireField } from '../cbor/fields.js';
import { ProtocolError } from '../errors.js';
import { parseAuthenticatorData, type AuthenticatorData } from './authenticatorData.js';
import { GetAssertionParam, GetAssertionResponseKey } from './constants.js';
import {
  descriptorToCbor,
  parseDescriptor,
  parseUser,
  type CredentialDescriptor,
  type ExtensionMap,
  type UserEntity,
} from './entities.js';
import { extensionsToCbor, optionsToCbor } from './makeCredential.js';

export interface GetAssertionOptions {
  up?: boolean;
  uv?: boolean;
}

/** Parameters named as in the spec. */
export interface GetAssertionParams {
  rpId: string;
  clientDataHash: Uint8Array;
  allowList?: CredentialDescriptor[];
  extensions?: ExtensionMap;
  options?: GetAssertionOptions;
  pinUvAuthParam?: Uint8Array;
  pinUvAuthProtocol?: number;
}

export interface AssertionResponse {
  /** May be absent from the key when the allowList had exactly one entry; Ctap2 fills it in from that entry. */
  credential: CredentialDescriptor;
  authData: AuthenticatorData;
  signature: Uint8Array;
  user?: UserEntity;
  numberOfCredentials?: number;
  userSelected?: boolean;
  largeBlobKey?: Uint8Array;
  unsignedExtensionOutputs?: CborMap;
}

export function encodeGetAssertionParams(p: GetAssertionParams): Map<number, CborInput | undefined> {
  // Set one by one, absent members left out: a Map built from an array of pairs allocates an array per pair.
  const map = new Map<number, CborInput | undefined>();
  map.set(GetAssertionParam.rpId, p.rpId);
  map.set(GetAssertionParam.clientDataHash, p.clientDataHash);
  if (p.allowList?.length) map.set(GetAssertionParam.allowList, p.allowList.map(descriptorToCbor));
  const extensions = extensionsToCbor(p.extensions);
  if (extensions !== undefined) map.set(GetAssertionParam.extensions, extensions);
  const options = optionsToCbor(p.options);
  if (options !== undefined) map.set(GetAssertionParam.options, options);
  if (p.pinUvAuthParam !== undefined) map.set(GetAssertionParam.pinUvAuthParam, p.pinUvAuthParam);
  if (p.pinUvAuthProtocol !== undefined) map.set(GetAssertionParam.pinUvAuthProtocol, p.pinUvAuthProtocol);
  return map;
}

const WHERE = 'getAssertion response';
const WHERE_CREDENTIAL = `${WHERE} credential`;
const WHERE_USER = `${WHERE} user`;

/**
 * @param soleAllowed the only allowList entry, which the spec lets the key leave out of its answer (section 6.2.2).
 */
export function parseAssertionResponse(
  value: CborValue,
  cbor: CborDecodeOptions = {},
  soleAllowed?: CredentialDescriptor,
): AssertionResponse {
  const map = asMap(value, WHERE);
  const credentialValue = map.get(GetAssertionResponseKey.credential);
  let credential: CredentialDescriptor;
  if (credentialValue !== undefined) credential = parseDescriptor(credentialValue, WHERE_CREDENTIAL);
  else if (soleAllowed) credential = { type: soleAllowed.type, id: soleAllowed.id };
  else throw new ProtocolError(`${WHERE} field 0x01 (credential) is missing`);

  const out: AssertionResponse = {
    credential,
    authData: parseAuthenticatorData(reqBytes(map, GetAssertionResponseKey.authData, WHERE), cbor),
    signature: reqBytes(map, GetAssertionResponseKey.signature, WHERE),
  };
  if (map.has(GetAssertionResponseKey.user))
    out.user = parseUser(requireField(map, GetAssertionResponseKey.user, WHERE), WHERE_USER);
  const n = optUint(map, GetAssertionResponseKey.numberOfCredentials, WHERE);
  const userSelected = optBool(map, GetAssertionResponseKey.userSelected, WHERE);
  const largeBlobKey = optBytes(map, GetAssertionResponseKey.largeBlobKey, WHERE);
  const unsigned = optMap(map, GetAssertionResponseKey.unsignedExtensionOutputs, WHERE);
  if (n !== undefined) out.numberOfCredentials = n;
  if (userSelected !== undefined) out.userSelected = userSelected;
  if (largeBlobKey) out.largeBlobKey = largeBlobKey;
  if (unsigned) out.unsignedExtensionOutputs = unsigned;
  return out;
}
