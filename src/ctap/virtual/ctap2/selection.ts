// authenticatorSelection on the virtual key (CTAP 2.2 section 6.9): a touch that tells the platform "this key".

import { speaksCtap21 } from '../profiles.js';
import { requireUserPresence, type CommandContext, type Ctap2CommandHandler } from './context.js';

export const selectionCommand: Ctap2CommandHandler = {
  takesParameters: false,
  isAvailable: speaksCtap21,
  run: selection,
};

async function selection(ctx: CommandContext): Promise<undefined> {
  await requireUserPresence(ctx, 'selection');
  return undefined;
}
