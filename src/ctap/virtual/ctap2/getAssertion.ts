// authenticatorGetAssertion on the virtual key, in the order of CTAP 2.2 section 6.2.2 "Authenticator Algorithm".

import { concatBytes } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { AuthDataFlag, GetAssertionParam, GetAssertionResponseKey } from '../../ctap2/constants.js';
import { CtapStatus } from '../../ctap2/status.js';
import { buildAuthenticatorData, rpIdHash as hashRpId } from '../authenticatorData.js';
import { signWithCredential } from '../credentialKey.js';
import type { PersistentState } from '../state.js';
import { CtapStatusError, requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { findCredential, fromResident, type FoundCredential } from './credentialLookup.js';
import { optBytes, optMap, optUint, readCredentialList, readOptions, reqBytes, reqText, type DescriptorParam } from './params.js';
import { checkPinUvAuthParam } from './pinUvAuth.js';

/** How long getNextAssertion stays possible after the previous assertion (section 6.3 step 3). */
export const NEXT_ASSERTION_WINDOW_MS = 30_000;

export const getAssertionCommand: Ctap2CommandHandler = {
  takesParameters: true,
  run: getAssertion,
};

async function getAssertion(ctx: CommandContext, params: CborMap): Promise<CborInput> {
  const { profile, state } = ctx;
  const rpId = reqText(params, GetAssertionParam.rpId);
  const clientDataHash = reqBytes(params, GetAssertionParam.clientDataHash);
  const allowList = readCredentialList(params, GetAssertionParam.allowList, profile.maxCredentialCountInList);
  // No extension is implemented yet; unsupported extensions are ignored, but the member must be a map.
  optMap(params, GetAssertionParam.extensions);
  const options = readOptions(optMap(params, GetAssertionParam.options));
  const pinUvAuthParam = optBytes(params, GetAssertionParam.pinUvAuthParam);
  const pinUvAuthProtocol = optUint(params, GetAssertionParam.pinUvAuthProtocol);

  // Steps 1-2.
  await checkPinUvAuthParam(ctx, { command: 'getAssertion', rpId, pinUvAuthParam, pinUvAuthProtocol });

  // Step 4: options.
  if (options.get('uv') === true) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'the key has no built-in user verification');
  }
  if (options.has('rk')) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, 'rk is not an option of getAssertion');
  }
  const up = options.get('up') ?? true;
  const userVerified = false;

  // Step 7: an empty allowList counts as absent, as libfido2 and python-fido2 send it that way too.
  const rpIdHash = hashRpId(rpId);
  const discoverable = !allowList || allowList.length === 0;
  // Step 11: with an allowList, any one applicable credential is used and numberOfCredentials is left out.
  // Step 12: without one, the RP's discoverable credentials, most recent first.
  const residents = discoverable ? state.residentsFor(rpId) : [];
  const newest = residents[0];
  const selected = discoverable ? newest && fromResident(newest) : firstAllowed(state, rpId, rpIdHash, allowList);
  // Step 7.f. CTAP 2.0 collected user presence before this; since 2.1 a key answers at once (Chrome relies on
  // this silent probe and asks for the touch itself).
  if (!selected) throw new CtapStatusError(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);

  // Step 9: up:false is a silent assertion (the UP bit stays clear).
  if (up) await requireUserPresence(ctx, 'getAssertion', rpId);

  const input: AssertionInput = { rpIdHash, clientDataHash, flags: up ? AuthDataFlag.UP : 0, userVerified };
  if (residents.length > 1) {
    // Step 12.b: no display, so the platform walks the others with getNextAssertion.
    ctx.session.pendingAssertion = { ...input, remaining: residents.slice(1), expiresAt: Date.now() + NEXT_ASSERTION_WINDOW_MS };
    return assertionResponse(state, selected, input, residents.length);
  }
  return assertionResponse(state, selected, input, undefined);
}

function firstAllowed(
  state: PersistentState,
  rpId: string,
  rpIdHash: Uint8Array,
  allowList: readonly DescriptorParam[],
): FoundCredential | undefined {
  for (const descriptor of allowList) {
    if (descriptor.type !== 'public-key') continue;
    const found = findCredential(state, rpId, rpIdHash, descriptor.id);
    if (found) return found;
  }
  return undefined;
}

export interface AssertionInput {
  rpIdHash: Uint8Array;
  clientDataHash: Uint8Array;
  flags: number;
  userVerified: boolean;
}

/** Signs authData || clientDataHash with the credential and builds the (next) assertion response map. */
export function assertionResponse(
  state: PersistentState,
  credential: FoundCredential,
  input: AssertionInput,
  numberOfCredentials: number | undefined,
): CborInput {
  const authData = buildAuthenticatorData({ rpIdHash: input.rpIdHash, flags: input.flags, signCount: state.nextSignCount() });
  const signature = signWithCredential(credential.alg, credential.privateKey, concatBytes(authData, input.clientDataHash));
  const response = new Map<number, CborInput>([
    [GetAssertionResponseKey.credential, { type: 'public-key', id: credential.id }],
    [GetAssertionResponseKey.authData, authData],
    [GetAssertionResponseKey.signature, signature],
  ]);
  const resident = credential.resident;
  if (resident) {
    // Name and display name identify the user: only after user verification (step 12.c). Without it, the id.
    const user: Record<string, CborInput> = { id: resident.user.id };
    if (input.userVerified) {
      if (resident.user.name !== undefined) user.name = resident.user.name;
      if (resident.user.displayName !== undefined) user.displayName = resident.user.displayName;
      if (resident.user.icon !== undefined) user.icon = resident.user.icon;
    }
    response.set(GetAssertionResponseKey.user, user);
  }
  if (numberOfCredentials !== undefined) response.set(GetAssertionResponseKey.numberOfCredentials, numberOfCredentials);
  return response;
}
