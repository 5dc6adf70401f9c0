// authenticatorGetInfo on the virtual key (CTAP 2.2 section 6.4): the profile, as far as it is implemented, plus live storage figures.

import type { CborInput } from '../../cbor/encode.js';
import { GetInfoKey } from '../../ctap2/constants.js';
import { advertisedFeatures } from '../features.js';
import { speaksCtap21 } from '../profiles.js';
import type { CommandContext, Ctap2CommandHandler } from './context.js';

export const getInfoCommand: Ctap2CommandHandler = {
  takesParameters: false,
  run: getInfo,
};

async function getInfo(ctx: CommandContext): Promise<CborInput> {
  const { profile, state } = ctx;
  const features = advertisedFeatures(profile);
  const discoverable = features.options.get('rk') === true;
  return new Map<number, CborInput | undefined>([
    [GetInfoKey.versions, profile.versions],
    [GetInfoKey.extensions, features.extensions.length > 0 ? features.extensions : undefined],
    [GetInfoKey.aaguid, state.aaguid],
    [GetInfoKey.options, new Map(features.options)],
    [GetInfoKey.maxMsgSize, profile.maxMsgSize],
    [GetInfoKey.pinUvAuthProtocols, features.pinUvAuthProtocols.length > 0 ? features.pinUvAuthProtocols : undefined],
    [GetInfoKey.maxCredentialCountInList, profile.maxCredentialCountInList],
    [GetInfoKey.maxCredentialIdLength, profile.maxCredentialIdLength],
    [GetInfoKey.transports, profile.transports],
    [GetInfoKey.algorithms, features.algorithms.map((alg) => ({ type: 'public-key', alg }))],
    [GetInfoKey.firmwareVersion, profile.firmwareVersion],
    [
      GetInfoKey.remainingDiscoverableCredentials,
      speaksCtap21(profile) && discoverable ? Math.max(0, profile.maxDiscoverableCredentials - state.residentCount) : undefined,
    ],
  ]);
}
