// Adds a slot to an open vault: a key registered, recovery set up, a password set.

import { randomUUID } from 'node:crypto';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import { makeSlot, type SlotSpec } from './makeSlot.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

/** Adds a slot (a key registered, recovery set up). Returns the new vault and the slot's id. */
export async function addSlot(
  vault: UnlockedVault,
  spec: SlotSpec,
  clock: HybridLogicalClock,
): Promise<{ vault: UnlockedVault; slotId: string }> {
  const { body, master } = vault;
  const slotId = randomUUID();
  const slot = await makeSlot(master, { header: body, mode: body.mode, id: slotId, hlc: clock.tick() }, spec);
  return { vault: withSlots(vault, body.mode, { ...body.slots, [slotId]: slot }), slotId };
}
