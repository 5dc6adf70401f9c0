// Puts a new slot set in a vault: the lock-out guard first, then the slot list's MAC recomputed under the master key.

import { VaultLockoutError } from '../errors/VaultLockoutError.js';
import { base64 } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import { lockoutReason } from './lockoutGuard.js';
import type { Slot } from './slotSchema.js';
import { slotSetMac } from './slotSetMac.js';
import type { UnlockedVault } from './unlock.js';

/** The vault with `slots` and `mode`, its MAC recomputed, after the lock-out guard has let the change through. */
export function withSlots(vault: UnlockedVault, mode: VaultMode, slots: Record<string, Slot>): UnlockedVault {
  const reason = lockoutReason(mode, slots);
  if (reason) throw new VaultLockoutError(reason);
  const { body, master } = vault;
  const mac = slotSetMac(master, { vault: body.vault, epoch: body.epoch }, mode, slots);
  return { master, body: { ...body, mode, slots, slotsMac: base64(mac) } };
}
