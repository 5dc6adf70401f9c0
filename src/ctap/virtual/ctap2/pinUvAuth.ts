// pinUvAuthParam checks of the virtual key: the probe and protocol steps of makeCredential / getAssertion, and token verification for every command.

import type { CborValue } from '../../cbor/types.js';
import { PinUvAuthProtocolError, type PinUvAuthProtocol } from '../../ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../ctapStatus.js';
import { hasPinUvAuthProtocol } from '../features.js';
import { CtapStatusError } from './CtapStatusError.js';
import { isProtected, type CommandContext } from './context.js';

export interface PinUvAuthInput {
  command: 'makeCredential' | 'getAssertion';
  rpId: string;
  pinUvAuthParam: Uint8Array | undefined;
  pinUvAuthProtocol: number | undefined;
}

/**
 * Steps 1 and 2 of makeCredential and getAssertion (CTAP 2.2 sections 6.1.2, 6.2.2): the zero-length pinUvAuthParam a
 * CTAP 2.0-era platform sends to have the user pick a key, and the presence and support of pinUvAuthProtocol.
 */
export async function checkPinUvAuthParam(ctx: CommandContext, input: PinUvAuthInput): Promise<void> {
  const { pinUvAuthParam, pinUvAuthProtocol } = input;
  if (pinUvAuthParam === undefined) return;
  if (pinUvAuthParam.length === 0) {
    const { outcome } = await ctx.userPresence(input.command, input.rpId);
    if (outcome === 'cancelled') throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    if (outcome !== 'approved')
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_OPERATION_DENIED, 'no touch to select this key');
    // The platform learns whether it must ask for a PIN (PIN_INVALID: "this key has one") or set one.
    throw new CtapStatusError(isProtected(ctx) ? CtapStatus.CTAP2_ERR_PIN_INVALID : CtapStatus.CTAP2_ERR_PIN_NOT_SET);
  }
  checkProtocol(ctx, pinUvAuthProtocol);
}

/** pinUvAuthProtocol must be present and one the key speaks. */
function checkProtocol(
  ctx: CommandContext,
  pinUvAuthProtocol: number | undefined,
): asserts pinUvAuthProtocol is number {
  if (pinUvAuthProtocol === undefined) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'pinUvAuthParam without pinUvAuthProtocol');
  }
  if (!hasPinUvAuthProtocol(ctx.profile, pinUvAuthProtocol)) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      `pinUvAuthProtocol ${pinUvAuthProtocol} is not supported`,
    );
  }
}

export interface RequestTokenInput {
  pinUvAuthProtocol: number;
  pinUvAuthParam: Uint8Array;
  clientDataHash: Uint8Array;
  /** ClientPin.PERMISSION.mc or .ga. */
  permission: number;
  rpId: string;
}

/**
 * Step 11 of makeCredential, step 6 of getAssertion: the token must verify over clientDataHash, carry the permission,
 * be bound to this RP (or to none, and then it is bound to it now) and still hold its user-verified flag. Every failure
 * is CTAP2_ERR_PIN_AUTH_INVALID, as the spec has it.
 */
export function verifyRequestToken(ctx: CommandContext, input: RequestTokenInput): void {
  const token = ctx.session.pinUvAuth;
  if (!isProtected(ctx))
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_NOT_SET, 'no PIN is set, so no token exists');
  if (!token.verify(input.pinUvAuthProtocol, input.clientDataHash, input.pinUvAuthParam)) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      'pinUvAuthParam does not verify with the current token',
    );
  }
  if (!token.hasPermission(input.permission)) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      `the token lacks permission 0x${input.permission.toString(16)}`,
    );
  }
  const bound = token.rpId;
  if (bound !== undefined && bound !== input.rpId) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      `the token is bound to ${bound}, not ${input.rpId}`,
    );
  }
  if (!token.userVerified)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, 'the token was already used to verify the user');
  token.bindRpId(input.rpId);
}

export interface FeatureTokenInput {
  pinUvAuthProtocol: number | undefined;
  pinUvAuthParam: Uint8Array | undefined;
  /** What the platform authenticated, e.g. subCommand || subCommandParams. */
  message: Uint8Array;
  /** The ClientPin.PERMISSION bit the command needs. */
  permission: number;
}

/**
 * The authentication of credentialManagement, bioEnrollment, config and largeBlobs (sections 6.7-6.11): a missing
 * pinUvAuthParam is CTAP2_ERR_PUAT_REQUIRED, a missing protocol MISSING_PARAMETER, an unknown one INVALID_PARAMETER,
 * and a MAC that does not verify or a token without the permission PIN_AUTH_INVALID. RP ID checks are the caller's.
 */
export function verifyFeatureToken(ctx: CommandContext, input: FeatureTokenInput): void {
  if (input.pinUvAuthParam === undefined)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, 'this subcommand needs a pinUvAuthParam');
  checkProtocol(ctx, input.pinUvAuthProtocol);
  const token = ctx.session.pinUvAuth;
  if (!token.verify(input.pinUvAuthProtocol, input.message, input.pinUvAuthParam)) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      'pinUvAuthParam does not verify with the current token',
    );
  }
  if (!token.hasPermission(input.permission)) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      `the token lacks permission 0x${input.permission.toString(16)}`,
    );
  }
}

/**
 * decapsulate(keyAgreement) of section 6.5.4 with the key's current key agreement key: the shared secret (the caller
 * zeroes it) and the protocol to use it with. A key that is not a P-256 point is CTAP1_ERR_INVALID_PARAMETER.
 */
export function decapsulate(ctx: CommandContext, pinUvAuthProtocol: number, keyAgreement: CborValue): SharedSecret {
  const state = ctx.session.pinUvAuth;
  const protocol = state.protocol(pinUvAuthProtocol);
  if (!protocol)
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      `pinUvAuthProtocol ${pinUvAuthProtocol} is not supported`,
    );
  try {
    return { protocol, secret: protocol.decapsulate(state.keyAgreement(pinUvAuthProtocol), keyAgreement) };
  } catch (error) {
    if (error instanceof PinUvAuthProtocolError)
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, error.message);
    throw error;
  }
}

export interface SharedSecret {
  protocol: PinUvAuthProtocol;
  secret: Uint8Array;
}

/** The protocol's decrypt, with a ciphertext of the wrong shape answered by `status` rather than an exception. */
export function decryptOr(shared: SharedSecret, ciphertext: Uint8Array, status: number): Uint8Array {
  try {
    return shared.protocol.decrypt(shared.secret, ciphertext);
  } catch (error) {
    if (error instanceof PinUvAuthProtocolError) throw new CtapStatusError(status, error.message);
    throw error;
  }
}
