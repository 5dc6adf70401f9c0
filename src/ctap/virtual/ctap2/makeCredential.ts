// authenticatorMakeCredential on the virtual key, in the order of CTAP 2.2 section 6.1.2 "Authenticator Algorithm".

import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { concatBytes, zeroize } from '../../bytes.js';
import { encodeCbor, type CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { AuthDataFlag, CoseAlgorithm, MakeCredentialParam, MakeCredentialResponseKey } from '../../ctap2/constants.js';
import { CtapStatus } from '../../ctapStatus.js';
import { ATTESTATION_CERTIFICATE, attestationPrivateKey } from '../attestationCertificate.js';
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
import { advertisedFeatures, hasOption } from '../features.js';
import { speaksCtap21Draft, type VirtualProfile } from '../profiles.js';
import { CredProtect, type ResidentCredential } from '../state.js';
import { performBuiltInUv } from './builtInUv.js';
import { CtapStatusError } from './CtapStatusError.js';
import { isProtected, requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { findCredential } from './credentialLookup.js';
import {
  decideCredentialExtensions,
  makeCredentialExtensionOutputs,
  readMakeCredentialExtensions,
} from './extensions/makeCredentialExtensions.js';
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
import { checkPinUvAuthParam, verifyRequestToken } from './pinUvAuth.js';
import { alwaysUvFallback, checkBuiltInUvOption } from './userVerification.js';

/** Random IDs for discoverable credentials: their keys live in storage, and a replaced credential must stop working. */
const RESIDENT_CREDENTIAL_ID_SIZE = 16;

/** Section 6.1: enterpriseAttestation 1 (vendor-facilitated) and 2 (platform-managed). */
const ENTERPRISE_ATTESTATION_VALUES: ReadonlySet<number> = new Set([1, 2]);

export const makeCredentialCommand: Ctap2CommandHandler = {
  takesParameters: true,
  run: makeCredential,
};

async function makeCredential(ctx: CommandContext, params: CborMap): Promise<CborInput> {
  const { profile, state, session } = ctx;
  const clientDataHash = reqBytes(params, MakeCredentialParam.clientDataHash);
  const rp = readRp(reqMap(params, MakeCredentialParam.rp));
  const user = readUser(reqMap(params, MakeCredentialParam.user));
  const credParams = reqArray(params, MakeCredentialParam.pubKeyCredParams).map((item, i) =>
    readCredParam(item, `pubKeyCredParams[${i}]`),
  );
  const excludeList = readCredentialList(params, MakeCredentialParam.excludeList, profile.maxCredentialCountInList);
  const extensionMap = optMap(params, MakeCredentialParam.extensions);
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
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM,
      `none of ${credParams.map((p) => p.alg).join(', ')} is supported`,
    );
  }
  const alg: CredentialAlgorithm = chosen.alg;

  // Step 5: options. A pinUvAuthParam takes the place of the uv option.
  const rk = options.get('rk') === true;
  if (rk && !supportsDiscoverable(profile)) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, 'the key cannot store discoverable credentials');
  }
  if (options.get('up') === false) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'makeCredential always needs user presence');
  }
  // CTAP 2.0 knows "up" only for getAssertion: a known option not valid for this command is INVALID_OPTION (2.0 section
  // 5.1 step 5). CTAP 2.1 section 6.1.1 lets platforms send up:true to 2.1 keys only, for that reason.
  if (options.has('up') && !speaksCtap21Draft(profile)) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_INVALID_OPTION,
      'a CTAP 2.0 key takes no up option in makeCredential',
    );
  }
  let uv = pinUvAuthParam === undefined && options.get('uv') === true;
  if (uv) checkBuiltInUvOption(ctx);

  // Steps 6-7: alwaysUv, and a protected key's demand for user verification, which makeCredUvNotRqd waives for
  // non-discoverable credentials.
  if (pinUvAuthParam === undefined && !uv) {
    if (state.alwaysUv && hasOption(profile, 'alwaysUv')) {
      uv = alwaysUvFallback(ctx);
    } else if (speaksCtap21Draft(profile)) {
      const waived = profile.options.makeCredUvNotRqd === true && !rk;
      if (isProtected(ctx) && !waived)
        throw new CtapStatusError(
          CtapStatus.CTAP2_ERR_PUAT_REQUIRED,
          'the key is protected: user verification is required',
        );
    } else if (state.pinSet) {
      // CTAP 2.0 section 5.1 step 6: a key with a PIN makes no credential without pinAuth (CTAP2_ERR_PIN_REQUIRED, 0x36).
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, 'a PIN is set: pinAuth is required');
    }
  }

  // Step 8: enterprise attestation, for keys that can.
  let epAtt = false;
  if (enterpriseAttestation !== undefined) {
    if (!hasOption(profile, 'ep'))
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'enterprise attestation is not supported');
    if (state.enterpriseAttestation) {
      if (!ENTERPRISE_ATTESTATION_VALUES.has(enterpriseAttestation)) {
        throw new CtapStatusError(
          CtapStatus.CTAP2_ERR_INVALID_OPTION,
          `enterpriseAttestation ${enterpriseAttestation} is not 1 or 2`,
        );
      }
      epAtt = true;
    }
  }

  // Steps 9-10: extension inputs are checked before anything is asked of the user.
  const extensionInputs = readMakeCredentialExtensions(ctx, extensionMap, rk);

  // Step 11: user verification, by token or by finger.
  let userVerified = false;
  let userPresent = false;
  if (pinUvAuthParam !== undefined && pinUvAuthProtocol !== undefined) {
    verifyRequestToken(ctx, {
      pinUvAuthProtocol,
      pinUvAuthParam,
      clientDataHash,
      permission: ClientPin.PERMISSION.mc,
      rpId: rp.id,
    });
    userVerified = true;
  } else if (uv) {
    await performBuiltInUv(ctx, 'makeCredential', rp.id);
    userVerified = true;
    userPresent = true;
  }

  // Step 12: a credential of ours in the excludeList ends the request, but only after a touch, so that a website
  // cannot probe which keys a user holds without the user noticing. A credProtect level 3 credential stays hidden
  // from a request without user verification.
  const rpIdHash = hashRpId(rp.id);
  const excluded = excludeList?.some((d) => {
    if (d.type !== 'public-key') return false;
    const found = findCredential(state, rp.id, rpIdHash, d.id);
    return found !== undefined && (found.credProtect !== CredProtect.userVerificationRequired || userVerified);
  });
  if (excluded) {
    if (!userPresent) {
      const { outcome } = await ctx.userPresence('makeCredential', rp.id);
      if (outcome === 'cancelled') throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    }
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
  }

  // Step 14: a token from a finger touch carries presence for a while; otherwise the user touches now. A token then
  // loses its user flags and its permissions but lbw, so one PIN entry makes one credential.
  if (!userPresent && !(pinUvAuthParam !== undefined && session.pinUvAuth.userPresent)) {
    await requireUserPresence(ctx, 'makeCredential', rp.id);
  }
  if (pinUvAuthParam !== undefined) session.pinUvAuth.consumeAfterUserPresence();

  // Steps 15-18: extensions, then the key pair, stored when discoverable, wrapped into the credential ID otherwise.
  if (rk && !state.replacesResident(rp.id, user.id) && state.residentCount >= profile.maxDiscoverableCredentials) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
  }
  const { extras, largeBlobKey } = decideCredentialExtensions(ctx, extensionInputs);
  const scalar = generatePrivateScalar(alg);
  let credentialId: Uint8Array;
  let privateKey: KeyObject;
  let resident: ResidentCredential | undefined;
  try {
    privateKey = privateKeyFromScalar(alg, scalar);
    if (rk) {
      credentialId = new Uint8Array(randomBytes(RESIDENT_CREDENTIAL_ID_SIZE));
      resident = { id: credentialId, rpId: rp.id, rpIdHash, user, alg, privateKey, ...extras };
      if (rp.name !== undefined) resident.rpName = rp.name;
      if (largeBlobKey) resident.largeBlobKey = largeBlobKey;
    } else {
      credentialId = wrapCredentialId(state.wrappingKey, rpIdHash, alg, scalar, extras);
    }
  } finally {
    zeroize(scalar);
  }

  // hmac-secret-mc needs the credential ID and may still fail (a saltAuth that does not verify): a failed request must
  // not have replaced the user's discoverable credential, so storing comes after.
  const extensionOutputs = makeCredentialExtensionOutputs(ctx, extensionInputs, {
    id: credentialId,
    rpId: rp.id,
    extras,
    userVerified,
  });
  if (resident) state.storeResident(resident);
  const authData = buildAuthenticatorData({
    rpIdHash,
    flags: AuthDataFlag.UP | (userVerified ? AuthDataFlag.UV : 0),
    signCount: state.nextSignCount(),
    attestedCredential: { aaguid: state.aaguid, credentialId, publicKey: encodedCosePublicKey(alg, privateKey) },
    ...(extensionOutputs && { extensions: encodeCbor(extensionOutputs) }),
  });

  // Step 19: enterprise attestation signs with the attestation certificate's key; self attestation with the
  // credential key itself (WebAuthn section 8.2, packed without x5c).
  const signed = concatBytes(authData, clientDataHash);
  const response = new Map<number, CborInput | undefined>([[MakeCredentialResponseKey.authData, authData]]);
  if (epAtt) {
    const sig = new Uint8Array(sign('sha256', signed, { key: attestationPrivateKey(), dsaEncoding: 'der' }));
    response.set(MakeCredentialResponseKey.fmt, 'packed');
    response.set(MakeCredentialResponseKey.attStmt, { alg: CoseAlgorithm.ES256, sig, x5c: [ATTESTATION_CERTIFICATE] });
    response.set(MakeCredentialResponseKey.epAtt, true);
  } else if (ctx.settings.attestation === 'none') {
    response.set(MakeCredentialResponseKey.fmt, 'none');
    response.set(MakeCredentialResponseKey.attStmt, {});
  } else {
    response.set(MakeCredentialResponseKey.fmt, 'packed');
    response.set(MakeCredentialResponseKey.attStmt, { alg, sig: signWithCredential(alg, privateKey, signed) });
  }
  response.set(MakeCredentialResponseKey.largeBlobKey, largeBlobKey?.slice());
  return response;
}

function supportsDiscoverable(profile: VirtualProfile): boolean {
  return advertisedFeatures(profile).options.get('rk') === true;
}
