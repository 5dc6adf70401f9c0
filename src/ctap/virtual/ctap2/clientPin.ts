// authenticatorClientPIN on the virtual key (CTAP 2.2 section 6.5.5): PIN set and change, retries, and tokens from the PIN or a finger.

import { isUtf8 } from 'node:buffer';
import { concatBytes, zeroize } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { CtapStatus } from '../../ctapStatus.js';
import { advertisedFeatures, hasBuiltInUv, hasOption } from '../features.js';
import { speaksCtap21, speaksCtap21Draft, type VirtualProfile } from '../profiles.js';
import { MAX_PIN_RETRIES, MAX_UV_RETRIES } from '../state.js';
import { performBuiltInUv } from './builtInUv.js';
import { CtapStatusError } from './CtapStatusError.js';
import { builtInUvConfigured, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { optText, optUint, reqBytes, reqMap, reqUint } from './params.js';
import { decapsulate, decryptOr, type SharedSecret } from './pinUvAuth.js';
import { ALL_PERMISSIONS } from './pinUvAuthState.js';

const { CMD, PARAM, RESULT, PERMISSION } = ClientPin;

/** The padded PIN is 64 bytes, so a PIN has at most 63 (section 6.5.1). */
const PADDED_PIN_SIZE = 64;
/** Section 6.5.5.7.1: the third wrong PIN in a row needs a power cycle. */
const MAX_CONSECUTIVE_PIN_MISMATCHES = 3;

export const clientPinCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) =>
    hasOption(profile, 'clientPin') && advertisedFeatures(profile).pinUvAuthProtocols.length > 0,
  run: clientPin,
};

async function clientPin(ctx: CommandContext, params: CborMap): Promise<CborInput | undefined> {
  const subCommand = reqUint(params, PARAM.subCommand);
  const { profile } = ctx;
  switch (subCommand) {
    case CMD.getPINRetries:
      return getPinRetries(ctx);
    case CMD.getKeyAgreement:
      return getKeyAgreement(ctx, params);
    case CMD.setPIN:
      return setPin(ctx, params);
    case CMD.changePIN:
      return changePin(ctx, params);
    case CMD.getPinToken:
      return getPinToken(ctx, params);
    case CMD.getPinUvAuthTokenUsingUvWithPermissions:
      if (!speaksCtap21(profile) || !hasBuiltInUv(profile)) break;
      return getTokenUsingUv(ctx, params);
    case CMD.getUVRetries:
      if (!hasBuiltInUv(profile)) break;
      return new Map([[RESULT.uvRetries, ctx.state.uvRetries]]);
    case CMD.getPinUvAuthTokenUsingPinWithPermissions:
      if (!hasOption(profile, 'pinUvAuthToken')) break;
      return getTokenUsingPin(ctx, params);
  }
  throw new CtapStatusError(
    CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND,
    `clientPin subcommand 0x${subCommand.toString(16)} is not supported`,
  );
}

/** getPINRetries (section 6.5.5.2); powerCycleState arrived with CTAP 2.1. */
function getPinRetries(ctx: CommandContext): CborInput {
  const response = new Map<number, CborInput>([[RESULT.pinRetries, ctx.state.pinRetries]]);
  if (speaksCtap21Draft(ctx.profile)) {
    response.set(
      RESULT.powerCycleState,
      ctx.session.pinUvAuth.consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES,
    );
  }
  return response;
}

/** getKeyAgreement (section 6.5.5.4): the current key agreement key of the protocol asked for. */
function getKeyAgreement(ctx: CommandContext, params: CborMap): CborInput {
  const protocol = readProtocol(ctx, params);
  return new Map([[RESULT.keyAgreement, ctx.session.pinUvAuth.keyAgreement(protocol).publicKey]]);
}

/** setPIN (section 6.5.5.5). */
function setPin(ctx: CommandContext, params: CborMap): undefined {
  const protocol = readProtocol(ctx, params);
  const keyAgreement = reqMap(params, PARAM.keyAgreement);
  const pinUvAuthParam = reqBytes(params, PARAM.pinUvAuthParam);
  const newPinEnc = reqBytes(params, PARAM.newPinEnc);
  if (ctx.state.pinSet) {
    // CTAP 2.0 answered PIN_AUTH_INVALID here; 2.1 made it NOT_ALLOWED.
    const status = speaksCtap21Draft(ctx.profile)
      ? CtapStatus.CTAP2_ERR_NOT_ALLOWED
      : CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID;
    throw new CtapStatusError(status, 'a PIN is already set: use changePIN');
  }
  const shared = decapsulate(ctx, protocol, keyAgreement);
  try {
    if (!shared.protocol.verify(shared.secret, newPinEnc, pinUvAuthParam)) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, 'pinUvAuthParam does not verify over newPinEnc');
    }
    storeNewPin(ctx, shared, newPinEnc);
  } finally {
    zeroize(shared.secret);
  }
  return undefined;
}

/** changePIN (section 6.5.5.6): the current PIN's hash is checked like getPinToken's, then the new PIN replaces it. */
function changePin(ctx: CommandContext, params: CborMap): undefined {
  const protocol = readProtocol(ctx, params);
  const keyAgreement = reqMap(params, PARAM.keyAgreement);
  const pinUvAuthParam = reqBytes(params, PARAM.pinUvAuthParam);
  const newPinEnc = reqBytes(params, PARAM.newPinEnc);
  const pinHashEnc = reqBytes(params, PARAM.pinHashEnc);
  checkPinUsable(ctx);
  const shared = decapsulate(ctx, protocol, keyAgreement);
  try {
    if (!shared.protocol.verify(shared.secret, concatBytes(newPinEnc, pinHashEnc), pinUvAuthParam)) {
      throw new CtapStatusError(
        CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
        'pinUvAuthParam does not verify over newPinEnc || pinHashEnc',
      );
    }
    checkPinHash(ctx, protocol, shared, pinHashEnc);
    storeNewPin(ctx, shared, newPinEnc);
  } finally {
    zeroize(shared.secret);
  }
  // Tokens obtained with the old PIN stop working.
  ctx.session.pinUvAuth.resetTokens();
  return undefined;
}

/** getPinToken (section 6.5.5.7.1, superseded): no permissions asked; on CTAP 2.1 keys the token may mc and ga. */
function getPinToken(ctx: CommandContext, params: CborMap): CborInput {
  const protocol = readProtocol(ctx, params);
  const keyAgreement = reqMap(params, PARAM.keyAgreement);
  const pinHashEnc = reqBytes(params, PARAM.pinHashEnc);
  const ctap21 = speaksCtap21(ctx.profile);
  if (ctap21 && (params.has(PARAM.permissions) || params.has(PARAM.rpId))) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      'getPinToken takes no permissions: use subcommand 0x09',
    );
  }
  checkPinUsable(ctx);
  return withSharedSecret(ctx, protocol, keyAgreement, (shared) => {
    checkPinHash(ctx, protocol, shared, pinHashEnc);
    const tokens = ctx.session.pinUvAuth;
    if (ctap21) {
      checkNoForcedChange(ctx);
      tokens.resetTokens();
      tokens.beginUsing(false, PERMISSION.mc | PERMISSION.ga, undefined);
    } else if (!tokens.inUse) {
      // CTAP 2.0 and the 2.1 draft keep one pinToken per power-up, and it authorizes everything.
      tokens.beginUsing(false, ALL_PERMISSIONS, undefined);
    }
    return tokenResponse(ctx, protocol, shared);
  });
}

/** getPinUvAuthTokenUsingPinWithPermissions (section 6.5.5.7.2). */
function getTokenUsingPin(ctx: CommandContext, params: CborMap): CborInput {
  const protocol = readProtocol(ctx, params);
  const keyAgreement = reqMap(params, PARAM.keyAgreement);
  const pinHashEnc = reqBytes(params, PARAM.pinHashEnc);
  const permissions = reqUint(params, PARAM.permissions);
  const rpId = optText(params, PARAM.rpId);
  checkPermissions(ctx.profile, permissions, 'pin');
  checkPinUsable(ctx);
  return withSharedSecret(ctx, protocol, keyAgreement, (shared) => {
    checkPinHash(ctx, protocol, shared, pinHashEnc);
    checkNoForcedChange(ctx);
    const tokens = ctx.session.pinUvAuth;
    tokens.resetTokens();
    tokens.beginUsing(false, permissions, rpId);
    return tokenResponse(ctx, protocol, shared);
  });
}

/** getPinUvAuthTokenUsingUvWithPermissions (section 6.5.5.7.3): a finger instead of the PIN; the touch counts as presence. */
async function getTokenUsingUv(ctx: CommandContext, params: CborMap): Promise<CborInput> {
  const protocol = readProtocol(ctx, params);
  const keyAgreement = reqMap(params, PARAM.keyAgreement);
  const permissions = reqUint(params, PARAM.permissions);
  const rpId = optText(params, PARAM.rpId);
  checkPermissions(ctx.profile, permissions, 'uv');
  if (!builtInUvConfigured(ctx)) throw new CtapStatusError(CtapStatus.CTAP2_ERR_NOT_ALLOWED, 'no finger is enrolled');
  if (ctx.state.uvRetries === 0)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UV_BLOCKED, 'built-in user verification is blocked');
  const shared = decapsulate(ctx, protocol, keyAgreement);
  try {
    await performBuiltInUv(ctx, 'getPinUvAuthTokenUsingUvWithPermissions', rpId);
    const tokens = ctx.session.pinUvAuth;
    tokens.resetTokens();
    tokens.beginUsing(true, permissions, rpId);
    return tokenResponse(ctx, protocol, shared);
  } finally {
    zeroize(shared.secret);
  }
}

function readProtocol(ctx: CommandContext, params: CborMap): number {
  const protocol = optUint(params, PARAM.pinUvAuthProtocol);
  if (protocol === undefined)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'pinUvAuthProtocol is missing');
  if (!ctx.session.pinUvAuth.protocol(protocol)) {
    throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, `pinUvAuthProtocol ${protocol} is not supported`);
  }
  return protocol;
}

function withSharedSecret<T>(
  ctx: CommandContext,
  protocol: number,
  keyAgreement: CborMap,
  use: (shared: SharedSecret) => T,
): T {
  const shared = decapsulate(ctx, protocol, keyAgreement);
  try {
    return use(shared);
  } finally {
    zeroize(shared.secret);
  }
}

function tokenResponse(ctx: CommandContext, protocol: number, shared: SharedSecret): CborInput {
  return new Map([[RESULT.pinUvAuthToken, ctx.session.pinUvAuth.encryptToken(protocol, shared.secret)]]);
}

/** Permissions a token may be asked for: non-zero, and only for features this key has (section 6.5.5.7.2 step 3). */
function checkPermissions(profile: VirtualProfile, permissions: number, via: 'pin' | 'uv'): void {
  if (permissions === 0) throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'permissions must not be 0');
  let granted = PERMISSION.mc | PERMISSION.ga;
  if (hasOption(profile, 'credMgmt') || hasOption(profile, 'credentialMgmtPreview')) granted |= PERMISSION.cm;
  // A fingerprint may manage fingerprints only where the key says so (uvBioEnroll); the PIN always may.
  if (hasOption(profile, 'bioEnroll') && (via === 'pin' || hasOption(profile, 'uvBioEnroll'))) granted |= PERMISSION.be;
  if (hasOption(profile, 'largeBlobs')) granted |= PERMISSION.lbw;
  // acfg through UV needs the uvAcfg option, which no profile has.
  if (hasOption(profile, 'authnrCfg') && via === 'pin') granted |= PERMISSION.acfg;
  const refused = permissions & ~granted;
  if (refused !== 0) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION,
      `permissions 0x${refused.toString(16)} are not available on this key`,
    );
  }
}

/** The order of section 6.5.5.7: PIN set, not blocked, no power cycle pending. */
function checkPinUsable(ctx: CommandContext): void {
  if (!ctx.state.pinSet) throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
  if (ctx.state.pinRetries === 0)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_BLOCKED, 'no PIN retries left: reset the key');
  if (ctx.session.pinUvAuth.consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED, 'three wrong PINs in a row: power cycle the key');
  }
}

/**
 * Section 6.5.5.7.1 steps: the retries counter goes down before the comparison (so pulling the key mid-check costs an
 * attempt); a wrong hash regenerates the key agreement key and answers PIN_BLOCKED at zero, PIN_AUTH_BLOCKED at the
 * third mismatch in a row, else PIN_INVALID. A right one restores the retries (and the fingerprint retries).
 */
function checkPinHash(ctx: CommandContext, protocol: number, shared: SharedSecret, pinHashEnc: Uint8Array): void {
  const { state, session } = ctx;
  state.pinRetries -= 1;
  let hash: Uint8Array | undefined;
  try {
    hash = decryptOr(shared, pinHashEnc, CtapStatus.CTAP2_ERR_PIN_INVALID);
  } catch {
    hash = undefined;
  }
  const matches = hash !== undefined && state.pinHashMatches(hash);
  zeroize(hash);
  if (!matches) {
    session.pinUvAuth.regenerate(protocol);
    session.pinUvAuth.consecutivePinMismatches += 1;
    if (state.pinRetries === 0)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_BLOCKED, 'wrong PIN, and no retries left');
    if (session.pinUvAuth.consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED, 'third wrong PIN in a row: power cycle the key');
    }
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_INVALID, `wrong PIN, ${state.pinRetries} retries left`);
  }
  state.pinRetries = MAX_PIN_RETRIES;
  session.pinUvAuth.consecutivePinMismatches = 0;
  if (hasBuiltInUv(ctx.profile)) state.uvRetries = MAX_UV_RETRIES;
}

/** forcePINChange (set by authenticatorConfig): no token until changePIN. */
function checkNoForcedChange(ctx: CommandContext): void {
  if (ctx.state.forcePinChange)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, 'the PIN must be changed first');
}

/**
 * Decrypts newPinEnc and stores the PIN it carries (sections 6.5.5.5 and 6.5.5.6): 64 padded bytes, the PIN up to the
 * first zero byte, at most 63 bytes of UTF-8 and at least minPINLength code points (CTAP 2.0 keys count bytes).
 */
function storeNewPin(ctx: CommandContext, shared: SharedSecret, newPinEnc: Uint8Array): void {
  const padded = decryptOr(shared, newPinEnc, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  try {
    if (padded.length !== PADDED_PIN_SIZE) {
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
        `the padded PIN is ${padded.length} bytes, expected ${PADDED_PIN_SIZE}`,
      );
    }
    const end = padded.indexOf(0);
    if (end < 0)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, 'the PIN is 64 bytes, at most 63 allowed');
    const pin = padded.subarray(0, end);
    if (!isUtf8(pin)) throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, 'the PIN is not UTF-8');
    const length = speaksCtap21Draft(ctx.profile) ? countCodePoints(pin) : pin.length;
    if (length < ctx.state.minPinLength) {
      throw new CtapStatusError(
        CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
        `the PIN has ${length} characters, at least ${ctx.state.minPinLength} needed`,
      );
    }
    ctx.state.setPin(pin, length);
  } finally {
    zeroize(padded);
  }
}

/** Code points of valid UTF-8, counted without decoding the PIN into a string that could not be zeroed. */
function countCodePoints(utf8: Uint8Array): number {
  let count = 0;
  for (const byte of utf8) if ((byte & 0xc0) !== 0x80) count++;
  return count;
}
