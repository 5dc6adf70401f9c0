// authenticatorReset on the virtual key (CTAP 2.2 section 6.6): only soon after power-up, and only after a touch.

import { CtapStatus } from '../../ctapStatus.js';
import { CtapStatusError } from './CtapStatusError.js';
import { requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';

export const resetCommand: Ctap2CommandHandler = {
  takesParameters: false,
  run: reset,
};

async function reset(ctx: CommandContext): Promise<undefined> {
  // Keys without a display accept reset only within about 10 s of power-up, so malware cannot wipe a key
  // that simply stays plugged in.
  const sincePowerUp = Date.now() - ctx.session.poweredUpAt;
  if (sincePowerUp > ctx.settings.resetWindowMs) {
    throw new CtapStatusError(
      CtapStatus.CTAP2_ERR_NOT_ALLOWED,
      `reset ${sincePowerUp} ms after power-up, allowed within ${ctx.settings.resetWindowMs} ms`,
    );
  }
  await requireUserPresence(ctx, 'reset');
  ctx.state.wipe();
  const { session } = ctx;
  session.pendingAssertion = undefined;
  session.enumeration = undefined;
  session.enrollment = undefined;
  session.largeBlobWrite = undefined;
  // The PIN is gone: new key agreement keys and tokens, and no power cycle pending for wrong PINs.
  for (const protocol of [1, 2]) if (session.pinUvAuth.protocol(protocol)) session.pinUvAuth.regenerate(protocol);
  session.pinUvAuth.resetTokens();
  session.pinUvAuth.consecutivePinMismatches = 0;
  return undefined;
}
