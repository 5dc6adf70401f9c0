// authenticatorMakeCredential on the virtual key, in the order of CTAP 2.2 section 6.1.2 "Authenticator Algorithm".

import { randomBytes, type KeyObject } from 'node:crypto';
import { concatBytes, zeroize } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { AuthDataFlag, MakeCredentialParam, MakeCredentialResponseKey } from '../../ctap2/constants.js';
import { CtapStatus } from '../../ctap2/status.js';
import { buildAuthenticatorData, rpIdHash as hashRpId } from '../authenticatorData.js';
import { wrapCredentialId } from '../credentialId.js';
import {
  encodedCosePublicKey,
  generatePrivateScalar,
  isCredentialAlgorithm,
  privateKeyFromScalar,
  signWithCredential,
  type CredentialAlgorithm,
} from '../credentialKey.js';
import { advertisedFeatures } from '../features.js';
import type { VirtualProfile } from '../profiles.js';
import type { ResidentCredential } from '../state.js';
import { CtapStatusError, requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { findCredential } from './credentialLookup.js';
import {
  optBytes,
  optMap,
  optUint,
  readCredentialList,
  readCredParam,
  readOptions,
  readRp,
  readUser,
  reqArray,
  reqBytes,
  reqMap,
} from './params.js';
import { checkPinUvAuthParam } from './pinUvAuth.js';

/** Random IDs for discoverable credentials: their keys live in storage, and a replaced credential must stop working. */
const RESIDENT_CREDENTIAL_ID_SIZE = 16;

export const makeCredentialCommand: Ctap2CommandHandler = {
  takesParameters: true,
  run: makeCredential,
};

async function makeCredential(ctx: CommandContext, params: CborMap): Promise<CborInput> {
  const { profile, state } = ctx;
  const clientDataHash = reqBytes(params, MakeCredentialParam.clientDataHash);
  const rp = readRp(reqMap(params, MakeCredentialParam.rp));
  const user = readUser(reqMap(params, MakeCredentialParam.user));
  const credParams = reqArray(params, MakeCredentialParam.pubKeyCredParams).map((item, i) => readCredParam(item, `pubKeyCredParams[${i}]`));
  const excludeList = readCredentialList(params, MakeCredentialParam.excludeList, profile.maxCredentialCountInList);
  // No extension is implemented yet; unsupported extensions are ignored (step 15), but the member must be a map.
  optMap(params, MakeCredentialParam.extensions);
  const options = readOptions(optMap(params, MakeCredentialParam.options));
  const pinUvAuthParam = optBytes(params, MakeCredentialParam.pinUvAuthParam);
  const pinUvAuthProtocol = optUint(params, MakeCredentialParam.pinUvAuthProtocol);
  const enterpriseAttestation = optUint(params, MakeCredentialParam.enterpriseAttestation);

  // Steps 1-2.
  await checkPinUvAuthParam(ctx, { command: 'makeCredential', rpId: rp.id, pinUvAuthParam, pinUvAuthProtocol });

  // Step 3: the first requested algorithm this key supports, in the platform's order of preference.
  const algorithms = advertisedFeatures(profile).algorithms;
  const chosen = credParams.find((p) => p.type === 'public-key' && algorithms.includes(p.alg));
  if (!chosen || !isCredentialAlgorithm(chosen.alg)) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM, `none of ${credParams.map((p) => p.alg).join(', ')} is supported`);
  }
  const alg: CredentialAlgorithm = chosen.alg;

  // Step 5: options.
  if (options.get('uv') === true) {
    // No built-in user verification on this key (CTAP 2.1 changed this from 2.0's UNSUPPORTED_OPTION).
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'the key has no built-in user verification');
  }
  const rk = options.get('rk') === true;
  if (rk && !supportsDiscoverable(profile)) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, 'the key cannot store discoverable credentials');
  }
  if (options.get('up') === false) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'makeCredential always needs user presence');
  }

  // Step 9: no profile offers enterprise attestation yet.
  if (enterpriseAttestation !== undefined) {
    throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'enterprise attestation is not supported');
  }

  // Step 12: a credential of ours in the excludeList ends the request, but only after a touch, so that a
  // website cannot probe which keys a user holds without the user noticing.
  const rpIdHash = hashRpId(rp.id);
  const excluded = excludeList?.some((d) => d.type === 'public-key' && findCredential(state, rp.id, rpIdHash, d.id) !== undefined);
  if (excluded) {
    const outcome = await ctx.userPresence('makeCredential', rp.id);
    if (outcome === 'cancelled') throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
  }

  // Step 14.
  await requireUserPresence(ctx, 'makeCredential', rp.id);

  // Steps 16-18: the key pair, stored when discoverable, wrapped into the credential ID otherwise.
  if (rk && !state.replacesResident(rp.id, user.id) && state.residentCount >= profile.maxDiscoverableCredentials) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
  }
  const scalar = generatePrivateScalar(alg);
  let credentialId: Uint8Array;
  let privateKey: KeyObject;
  try {
    privateKey = privateKeyFromScalar(alg, scalar);
    if (rk) {
      credentialId = new Uint8Array(randomBytes(RESIDENT_CREDENTIAL_ID_SIZE));
      const resident: ResidentCredential = { id: credentialId, rpId: rp.id, rpIdHash, user, alg, privateKey };
      if (rp.name !== undefined) resident.rpName = rp.name;
      state.storeResident(resident);
    } else {
      credentialId = wrapCredentialId(state.wrappingKey, rpIdHash, alg, scalar);
    }
  } finally {
    zeroize(scalar);
  }

  const authData = buildAuthenticatorData({
    rpIdHash,
    flags: AuthDataFlag.UP,
    signCount: state.nextSignCount(),
    attestedCredential: { aaguid: state.aaguid, credentialId, publicKey: encodedCosePublicKey(alg, privateKey) },
  });

  // Step 19: self attestation signs with the credential key itself (WebAuthn section 8.2, packed without x5c).
  if (ctx.settings.attestation === 'none') {
    return response('none', authData, {});
  }
  const sig = signWithCredential(alg, privateKey, concatBytes(authData, clientDataHash));
  return response('packed', authData, { alg, sig });
}

function supportsDiscoverable(profile: VirtualProfile): boolean {
  return advertisedFeatures(profile).options.get('rk') === true;
}

function response(fmt: string, authData: Uint8Array, attStmt: CborInput): CborInput {
  return new Map<number, CborInput>([
    [MakeCredentialResponseKey.fmt, fmt],
    [MakeCredentialResponseKey.authData, authData],
    [MakeCredentialResponseKey.attStmt, attStmt],
  ]);
}
