// performBuiltInUv() of the virtual key (CTAP 2.2 section 6.5.3): a touch of the simulated fingerprint sensor, matched against the enrolled fingers.

import { CtapStatus } from '../../ctapStatus.js';
import { MAX_UV_RETRIES } from '../state.js';
import { CtapStatusError } from './CtapStatusError.js';
import { throwUnlessApproved, type CommandContext } from './context.js';

/**
 * Verifies the user with a finger. A finger that matches restores the UV retries; any other (or a touch the handler
 * names no finger for) costs one, and the last one blocks built-in UV until a PIN or reset.
 * The touch doubles as user presence.
 */
export async function performBuiltInUv(ctx: CommandContext, command: string, rpId?: string): Promise<void> {
  const { state } = ctx;
  if (state.uvRetries === 0)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UV_BLOCKED, 'built-in user verification is blocked');
  const { outcome, finger } = await ctx.userPresence(command, rpId, 'verify');
  throwUnlessApproved(outcome);
  if (finger !== undefined && state.fingerprints.some((fp) => fp.finger === finger)) {
    state.uvRetries = MAX_UV_RETRIES;
    return;
  }
  state.uvRetries -= 1;
  if (state.uvRetries === 0)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UV_BLOCKED, 'the last fingerprint attempt failed');
  throw new CtapStatusError(CtapStatus.CTAP2_ERR_UV_INVALID, `finger ${finger ?? '(unreadable)'} is not enrolled`);
}
