// authenticatorGetNextAssertion on the virtual key (CTAP 2.2 section 6.3): the next of several discoverable credentials.

import type { CborInput } from '../../cbor/encode.js';
import { CtapStatus } from '../../ctapStatus.js';
import { CtapStatusError } from './CtapStatusError.js';
import { type CommandContext, type Ctap2CommandHandler } from './context.js';
import { fromResident } from './credentialLookup.js';
import { assertionResponse, NEXT_ASSERTION_WINDOW_MS } from './getAssertion.js';

export const getNextAssertionCommand: Ctap2CommandHandler = {
  takesParameters: false,
  run: getNextAssertion,
};

async function getNextAssertion(ctx: CommandContext): Promise<CborInput> {
  // processCtap2 forgets the pending assertion on any other command, so only a directly preceding
  // getAssertion or getNextAssertion leaves one here (steps 1 and 2).
  const pending = ctx.session.pendingAssertion;
  const next = pending?.remaining.shift();
  if (!pending || !next || Date.now() > pending.expiresAt) {
    ctx.session.pendingAssertion = undefined;
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_NOT_ALLOWED, 'no getAssertion to continue');
  }
  // Step 7: the 30-second timer restarts with each answer.
  pending.expiresAt = Date.now() + NEXT_ASSERTION_WINDOW_MS;
  // 0: one of several accounts, so a verified user's name and display name come along, but no count.
  return assertionResponse(ctx, fromResident(next), pending, 0);
}
