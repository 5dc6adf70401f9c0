// authenticatorGetAssertion on the virtual key, in the order of CTAP 2.2 section 6.2.2 "Authenticator Algorithm".

import { concatBytes } from '../../bytes.js';
import { encodeCbor, type CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { AuthDataFlag, GetAssertionParam, GetAssertionResponseKey } from '../../ctap2/constants.js';
import { CtapStatus } from '../../ctapStatus.js';
import { buildAuthenticatorData, rpIdHash as hashRpId } from '../authenticatorData.js';
import { signWithCredential } from '../credentialKey.js';
import { hasOption } from '../features.js';
import { CredProtect } from '../state.js';
import { performBuiltInUv } from './builtInUv.js';
import { CtapStatusError } from './CtapStatusError.js';
import { requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { findCredential, fromResident, type FoundCredential } from './credentialLookup.js';
import type { AssertionExtensionInputs } from './extensions/extensionInputs.js';
import { assertionExtensionOutputs, readGetAssertionExtensions } from './extensions/getAssertionExtensions.js';
import { optBytes, optMap, optUint, readCredentialList, readOptions, reqBytes, reqText } from './params.js';
import { checkPinUvAuthParam, verifyRequestToken } from './pinUvAuth.js';
import { alwaysUvFallback, checkBuiltInUvOption } from './userVerification.js';

/** How long getNextAssertion stays possible after the previous assertion (section 6.3 step 3). */
export const NEXT_ASSERTION_WINDOW_MS = 30_000;

export const getAssertionCommand: Ctap2CommandHandler = {
  takesParameters: true,
  run: getAssertion,
};

async function getAssertion(ctx: CommandContext, params: CborMap): Promise<CborInput> {
  const { profile, state, session } = ctx;
  const rpId = reqText(params, GetAssertionParam.rpId);
  const clientDataHash = reqBytes(params, GetAssertionParam.clientDataHash);
  const allowList = readCredentialList(params, GetAssertionParam.allowList, profile.maxCredentialCountInList);
  const extensionMap = optMap(params, GetAssertionParam.extensions);
  const options = readOptions(optMap(params, GetAssertionParam.options));
  const pinUvAuthParam = optBytes(params, GetAssertionParam.pinUvAuthParam);
  const pinUvAuthProtocol = optUint(params, GetAssertionParam.pinUvAuthProtocol);

  // Steps 1-2.
  await checkPinUvAuthParam(ctx, { command: 'getAssertion', rpId, pinUvAuthParam, pinUvAuthProtocol });

  // Step 4: options. A pinUvAuthParam takes the place of the uv option.
  if (options.has('rk')) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, 'rk is not an option of getAssertion');
  }
  const up = options.get('up') ?? true;
  let uv = pinUvAuthParam === undefined && options.get('uv') === true;
  if (uv) checkBuiltInUvOption(ctx);
  // Step 5: alwaysUv, except for a silent (up:false) probe, which proves nothing about the user either way.
  if (pinUvAuthParam === undefined && !uv && up && state.alwaysUv && hasOption(profile, 'alwaysUv'))
    uv = alwaysUvFallback(ctx);
  const extensionInputs = readGetAssertionExtensions(ctx, extensionMap);

  // Step 6: user verification, by token or by finger.
  let userVerified = false;
  let userPresent = false;
  if (pinUvAuthParam !== undefined && pinUvAuthProtocol !== undefined) {
    verifyRequestToken(ctx, {
      pinUvAuthProtocol,
      pinUvAuthParam,
      clientDataHash,
      permission: ClientPin.PERMISSION.ga,
      rpId,
    });
    userVerified = true;
  } else if (uv) {
    await performBuiltInUv(ctx, 'getAssertion', rpId);
    userVerified = true;
    userPresent = true;
  }

  // Step 7: an empty allowList counts as absent, as libfido2 and python-fido2 send it that way too. credProtect
  // hides level 3 credentials from requests without user verification, and level 2 ones also from requests
  // without an allowList (section 12.1).
  const rpIdHash = hashRpId(rpId);
  const discoverable = !allowList || allowList.length === 0;
  const visible = (c: FoundCredential): boolean =>
    userVerified ||
    c.credProtect === CredProtect.userVerificationOptional ||
    (c.credProtect === CredProtect.userVerificationOptionalWithCredentialIDList && !discoverable);
  // Step 11: with an allowList, any one applicable credential is used and numberOfCredentials is left out.
  // Step 12: without one, the RP's discoverable credentials, most recent first.
  const candidates = discoverable
    ? state.residentsFor(rpId).map(fromResident).filter(visible)
    : firstAllowed(allowList, (id) => findCredential(state, rpId, rpIdHash, id), visible);
  const [selected, ...others] = candidates;
  // Step 7.f. CTAP 2.0 collected user presence before this; since 2.1 a key answers at once (Chrome relies on
  // this silent probe and asks for the touch itself).
  if (!selected) throw new CtapStatusError(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);

  // Step 9: up:false is a silent assertion (the UP bit stays clear). A finger touch or a token from one already
  // carries presence; a token then loses its user flags and all permissions but lbw.
  if (up) {
    if (!userPresent && !(pinUvAuthParam !== undefined && session.pinUvAuth.userPresent))
      await requireUserPresence(ctx, 'getAssertion', rpId);
    userPresent = true;
    if (pinUvAuthParam !== undefined) session.pinUvAuth.consumeAfterUserPresence();
  }

  const input: AssertionInput = {
    rpIdHash,
    clientDataHash,
    flags: (userPresent ? AuthDataFlag.UP : 0) | (userVerified ? AuthDataFlag.UV : 0),
    userVerified,
    extensions: extensionInputs,
  };
  if (others.length > 0) {
    // Step 12.b: no display, so the platform walks the others with getNextAssertion.
    const remaining = others.map((c) => c.resident!);
    session.pendingAssertion = { ...input, remaining, expiresAt: Date.now() + NEXT_ASSERTION_WINDOW_MS };
    return assertionResponse(ctx, selected, input, candidates.length);
  }
  return assertionResponse(ctx, selected, input, undefined);
}

function firstAllowed(
  allowList: readonly { type: string; id: Uint8Array }[],
  find: (id: Uint8Array) => FoundCredential | undefined,
  visible: (c: FoundCredential) => boolean,
): FoundCredential[] {
  for (const descriptor of allowList) {
    if (descriptor.type !== 'public-key') continue;
    const found = find(descriptor.id);
    if (found && visible(found)) return [found];
  }
  return [];
}

export interface AssertionInput {
  rpIdHash: Uint8Array;
  clientDataHash: Uint8Array;
  /** UP and UV bits. */
  flags: number;
  userVerified: boolean;
  extensions: AssertionExtensionInputs;
}

/**
 * Signs authData || clientDataHash with the credential and builds the (next) assertion response map.
 * `numberOfCredentials` is set on the first of several discoverable credentials; the others pass 0.
 */
export function assertionResponse(
  ctx: CommandContext,
  credential: FoundCredential,
  input: AssertionInput,
  numberOfCredentials: number | undefined,
): CborInput {
  const { state } = ctx;
  const outputs = assertionExtensionOutputs(ctx, credential, input.extensions, {
    userVerified: input.userVerified,
    userPresent: (input.flags & AuthDataFlag.UP) !== 0,
  });
  const authData = buildAuthenticatorData({
    rpIdHash: input.rpIdHash,
    flags: input.flags,
    signCount: state.nextSignCount(),
    ...(outputs.authData && { extensions: encodeCbor(outputs.authData) }),
  });
  const signature = signWithCredential(
    credential.alg,
    credential.privateKey,
    concatBytes(authData, input.clientDataHash),
  );
  const response = new Map<number, CborInput | undefined>([
    [GetAssertionResponseKey.credential, { type: 'public-key', id: credential.id }],
    [GetAssertionResponseKey.authData, authData],
    [GetAssertionResponseKey.signature, signature],
  ]);
  const resident = credential.resident;
  if (resident) {
    // Section 6.2.2 step 12: name and display name identify the user, so they come only after user verification,
    // and only when the platform must choose among several accounts; otherwise the user handle alone.
    const user: Record<string, CborInput> = { id: resident.user.id };
    if (input.userVerified && numberOfCredentials !== undefined) {
      if (resident.user.name !== undefined) user.name = resident.user.name;
      if (resident.user.displayName !== undefined) user.displayName = resident.user.displayName;
      if (resident.user.icon !== undefined) user.icon = resident.user.icon;
    }
    response.set(GetAssertionResponseKey.user, user);
  }
  if (numberOfCredentials !== undefined && numberOfCredentials > 0)
    response.set(GetAssertionResponseKey.numberOfCredentials, numberOfCredentials);
  response.set(GetAssertionResponseKey.largeBlobKey, outputs.largeBlobKey);
  return response;
}
