// authenticatorConfig on the virtual key (CTAP 2.2 section 6.11): enterprise attestation, always-UV and the minimum PIN length.

import { concatBytes } from '../../bytes.js';
import type { CborMap } from '../../cbor/types.js';
import { AuthenticatorConfig } from '../../ctap2/AuthenticatorConfig.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { Ctap2Cmd } from '../../ctap2/constants.js';
import { PIN_UV_AUTH_PREFIX } from '../../ctap2/featureAuth.js';
import { CtapStatus } from '../../ctapStatus.js';
import { hasOption } from '../features.js';
import { CtapStatusError } from './CtapStatusError.js';
import { isProtected, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { optArray, optBool, optBytes, optMap, optUint, reencode, reqUint } from './params.js';
import { verifyFeatureToken } from './pinUvAuth.js';

const { CMD, PARAM, SET_MIN_PIN_LENGTH_PARAM } = AuthenticatorConfig;

/** A PIN is at most 63 bytes (section 6.5.1), so no longer minimum could ever be met. */
const MAX_MIN_PIN_LENGTH = 63;

export const authenticatorConfigCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'authnrCfg'),
  run: authenticatorConfig,
};

async function authenticatorConfig(ctx: CommandContext, params: CborMap): Promise<undefined> {
  const { profile, state, session } = ctx;
  const subCommand = reqUint(params, PARAM.subCommand);
  const sub = optMap(params, PARAM.subCommandParams);
  const supported =
    (subCommand === CMD.enableEnterpriseAttestation && hasOption(profile, 'ep')) ||
    (subCommand === CMD.toggleAlwaysUv && hasOption(profile, 'alwaysUv')) ||
    (subCommand === CMD.setMinPINLength && hasOption(profile, 'setMinPINLength'));
  if (!supported)
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND,
      `config subcommand 0x${subCommand.toString(16)} is not supported`,
    );

  // Section 6.11 step 3: a key that is protected (or has alwaysUv on) takes config only with an acfg token, over
  // 32 x 0xff || 0x0d || subCommand || subCommandParams; an unprotected one takes it as it comes.
  if (isProtected(ctx) || state.alwaysUv || params.has(PARAM.pinUvAuthParam)) {
    const head = concatBytes(PIN_UV_AUTH_PREFIX, Uint8Array.of(Ctap2Cmd.CONFIG, subCommand));
    verifyFeatureToken(ctx, {
      pinUvAuthProtocol: optUint(params, PARAM.pinUvAuthProtocol),
      pinUvAuthParam: optBytes(params, PARAM.pinUvAuthParam),
      message: sub ? concatBytes(head, reencode(sub)) : head,
      permission: ClientPin.PERMISSION.acfg,
    });
  }

  switch (subCommand) {
    case CMD.enableEnterpriseAttestation:
      state.enterpriseAttestation = true;
      return undefined;
    case CMD.toggleAlwaysUv:
      state.alwaysUv = !state.alwaysUv;
      return undefined;
    default:
      setMinPinLength(ctx, sub ?? new Map());
      // Section 6.11.4: a forced change must stop the tokens the current PIN gave out.
      if (state.forcePinChange) session.pinUvAuth.resetTokens();
      return undefined;
  }
}

/** setMinPINLength (section 6.11.4): the minimum only grows; a PIN shorter than it must be changed before use. */
function setMinPinLength(ctx: CommandContext, sub: CborMap): void {
  const { profile, state } = ctx;
  const newMin = optUint(sub, SET_MIN_PIN_LENGTH_PARAM.newMinPINLength) ?? state.minPinLength;
  const rpIds = optArray(sub, SET_MIN_PIN_LENGTH_PARAM.minPinLengthRPIDs);
  const forceChangePin = optBool(sub, SET_MIN_PIN_LENGTH_PARAM.forceChangePin) === true;
  if (newMin < state.minPinLength || newMin > MAX_MIN_PIN_LENGTH) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
      `minimum PIN length ${newMin}: it can only grow, from ${state.minPinLength} up to ${MAX_MIN_PIN_LENGTH}`,
    );
  }
  if (rpIds !== undefined) {
    if (!rpIds.every((id): id is string => typeof id === 'string')) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, 'minPinLengthRPIDs must be text strings');
    }
    const max = profile.maxRPIDsForSetMinPINLength ?? 0;
    if (rpIds.length > max)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEY_STORE_FULL, `${rpIds.length} RP IDs, at most ${max} kept`);
  }
  if (forceChangePin && !state.pinSet)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_NOT_SET, 'forceChangePin needs a PIN');
  state.minPinLength = newMin;
  if (rpIds !== undefined) state.minPinLengthRpIds = rpIds as string[];
  if (forceChangePin || (state.pinSet && state.pinLength < newMin)) state.forcePinChange = true;
}
