// authenticatorGetInfo on the virtual key (CTAP 2.2 section 6.4): the profile, as far as it is implemented, plus the key's live state.

import type { CborInput } from '../../cbor/encode.js';
import { GetInfoKey } from '../../ctap2/constants.js';
import { advertisedFeatures, hasExtension, hasOption } from '../features.js';
import { speaksCtap21, type VirtualProfile } from '../profiles.js';
import type { PersistentState } from '../state.js';
import type { CommandContext, Ctap2CommandHandler } from './context.js';

export const getInfoCommand: Ctap2CommandHandler = {
  takesParameters: false,
  run: getInfo,
};

async function getInfo(ctx: CommandContext): Promise<CborInput> {
  const { profile, state } = ctx;
  const features = advertisedFeatures(profile);
  const ctap21 = speaksCtap21(profile);
  const discoverable = features.options.get('rk') === true;
  const pin = hasOption(profile, 'clientPin');
  return new Map<number, CborInput | undefined>([
    [GetInfoKey.versions, profile.versions],
    [GetInfoKey.extensions, features.extensions.length > 0 ? features.extensions : undefined],
    [GetInfoKey.aaguid, state.aaguid],
    [GetInfoKey.options, liveOptions(profile, state)],
    [GetInfoKey.maxMsgSize, profile.maxMsgSize],
    [GetInfoKey.pinUvAuthProtocols, features.pinUvAuthProtocols.length > 0 ? features.pinUvAuthProtocols : undefined],
    [GetInfoKey.maxCredentialCountInList, profile.maxCredentialCountInList],
    [GetInfoKey.maxCredentialIdLength, profile.maxCredentialIdLength],
    [GetInfoKey.transports, profile.transports],
    [GetInfoKey.algorithms, features.algorithms.map((alg) => ({ type: 'public-key', alg }))],
    [
      GetInfoKey.maxSerializedLargeBlobArray,
      hasOption(profile, 'largeBlobs') ? profile.maxSerializedLargeBlobArray : undefined,
    ],
    [GetInfoKey.forcePINChange, ctap21 && pin ? state.forcePinChange : undefined],
    [GetInfoKey.minPINLength, ctap21 && pin ? state.minPinLength : undefined],
    [GetInfoKey.firmwareVersion, profile.firmwareVersion],
    [GetInfoKey.maxCredBlobLength, hasExtension(profile, 'credBlob') ? profile.maxCredBlobLength : undefined],
    [
      GetInfoKey.maxRPIDsForSetMinPINLength,
      hasOption(profile, 'setMinPINLength') ? profile.maxRPIDsForSetMinPINLength : undefined,
    ],
    [
      GetInfoKey.preferredPlatformUvAttempts,
      hasOption(profile, 'uv') ? profile.preferredPlatformUvAttempts : undefined,
    ],
    [GetInfoKey.uvModality, hasOption(profile, 'uv') ? profile.uvModality : undefined],
    [
      GetInfoKey.remainingDiscoverableCredentials,
      ctap21 && discoverable ? Math.max(0, profile.maxDiscoverableCredentials - state.residentCount) : undefined,
    ],
  ]);
}

/** The advertised options with the values that follow the key's state: a PIN set, fingers enrolled, config toggles. */
function liveOptions(profile: VirtualProfile, state: PersistentState): Map<string, boolean> {
  const options = new Map(advertisedFeatures(profile).options);
  const enrolled = state.fingerprints.length > 0;
  const live: Record<string, boolean> = {
    clientPin: state.pinSet,
    uv: enrolled,
    bioEnroll: enrolled,
    userVerificationMgmtPreview: enrolled,
    alwaysUv: state.alwaysUv,
    // Section 6.11.2: alwaysUv turns makeCredUvNotRqd off.
    makeCredUvNotRqd: profile.options.makeCredUvNotRqd === true && !state.alwaysUv,
    ep: state.enterpriseAttestation,
  };
  for (const [name, value] of Object.entries(live)) if (options.has(name)) options.set(name, value);
  return options;
}
