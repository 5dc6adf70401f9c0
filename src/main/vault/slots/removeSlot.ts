// Removes a slot from an open vault (a key revoked), leaving a tombstone, unless that would lock the account out.

import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Slot } from './slotSchema.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

/**
 * Replaces the slot with a tombstone that keeps no key material (a revoked key's output then opens nothing in this
 * file; its backups are the service's to rewrite). Refused when the vault would be left without a way in.
 */
export function removeSlot(vault: UnlockedVault, slotId: string, clock: HybridLogicalClock): UnlockedVault {
  const slot = vault.body.slots[slotId];
  if (!slot || slot.deleted) throw new RangeError(`slot ${slotId} is not in the vault, or already removed`);
  const tombstone: Slot = { type: slot.type, hlc: clock.tick(), deleted: true };
  return withSlots(vault, vault.body.mode, { ...vault.body.slots, [slotId]: tombstone });
}
