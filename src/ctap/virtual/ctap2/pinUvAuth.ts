// The pinUvAuthParam steps shared by makeCredential and getAssertion (CTAP 2.2 sections 6.1.2 and 6.2.2, steps 1 and 2).

import { CtapStatus } from '../../ctap2/status.js';
import { advertisedFeatures } from '../features.js';
import { CtapStatusError, type CommandContext } from './context.js';

export interface PinUvAuthInput {
  command: 'makeCredential' | 'getAssertion';
  rpId: string;
  pinUvAuthParam: Uint8Array | undefined;
  pinUvAuthProtocol: number | undefined;
}

/**
 * Handles a pinUvAuthParam before the command proper. ClientPin (a later issue) adds token verification here;
 * until then no PIN can be set, so a present parameter never verifies the user.
 */
export async function checkPinUvAuthParam(ctx: CommandContext, input: PinUvAuthInput): Promise<void> {
  const { pinUvAuthParam, pinUvAuthProtocol } = input;
  if (pinUvAuthParam === undefined) return;
  if (pinUvAuthParam.length === 0) {
    // Step 1: a zero-length parameter is a 2.0-era platform asking for a touch to pick this key.
    const outcome = await ctx.userPresence(input.command, input.rpId);
    if (outcome === 'cancelled') throw new CtapStatusError(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    if (outcome !== 'approved') throw new CtapStatusError(CtapStatus.CTAP2_ERR_OPERATION_DENIED, 'no touch to select this key');
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
  }
  // Step 2.
  if (pinUvAuthProtocol === undefined) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'pinUvAuthParam without pinUvAuthProtocol');
  }
  if (!advertisedFeatures(ctx.profile).pinUvAuthProtocols.includes(pinUvAuthProtocol)) {
    throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, `pinUvAuthProtocol ${pinUvAuthProtocol} is not supported`);
  }
  throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
}
