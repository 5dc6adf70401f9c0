// Changes the vault's password from the open vault alone: the password slot and the recovery slot's password layer.

import type { Secret } from '../../secrets/secretBytes.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { makeSlot } from './makeSlot.js';
import { rewrapRecoveryPassword } from './recoverySlot.js';
import type { Slot } from './slotSchema.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

export interface ChangeVaultPasswordOptions {
  /** The new password. */
  password: Secret;
  /** Argon2id parameters for the rewrapped slots (calibrateArgon2). */
  params: Argon2Params;
  clock: HybridLogicalClock;
}

/**
 * Rewraps what the password wraps: the password slot (none in key-only mode) and the password layer of every recovery
 * slot, whose secret the open vault reads under the master key, so neither the recovery code nor any security key is
 * needed (the caller has checked the current password, or the vault would not be open). Slots keep their ids; key
 * slots and the recovery code are unchanged. The old password opens nothing in the result; the backups that it still
 * opens are the service's to rewrite.
 */
export async function changeVaultPassword(
  vault: UnlockedVault,
  options: ChangeVaultPasswordOptions,
): Promise<UnlockedVault> {
  const { body, master } = vault;
  const { password, params, clock } = options;
  const header = { vault: body.vault, epoch: body.epoch };
  const slots: Record<string, Slot> = { ...body.slots };
  for (const [id, slot] of Object.entries(body.slots)) {
    if (slot.deleted) continue;
    if (slot.type === 'password')
      slots[id] = await makeSlot(
        master,
        { header, mode: body.mode, id, hlc: clock.tick() },
        { type: 'password', password, params },
      );
    else if (slot.type === 'recovery')
      slots[id] = await rewrapRecoveryPassword(master, { header, id, hlc: clock.tick() }, slot, { password, params });
  }
  return withSlots(vault, body.mode, slots);
}
