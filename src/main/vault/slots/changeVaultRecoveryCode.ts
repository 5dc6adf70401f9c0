// Gives the vault a new recovery code (the account's was regenerated): every live recovery slot is made anew for it.

import type { Secret } from '../../secrets/secretBytes.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { makeSlot } from './makeSlot.js';
import type { Slot } from './slotSchema.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

export interface ChangeVaultRecoveryCodeOptions {
  /** The new code, normalised (normalizeRecoveryCode). */
  recoveryCode: Secret;
  /** The account's password: a recovery slot needs both factors, so the code alone never opens the vault. */
  password: Secret;
  params: Argon2Params;
  clock: HybridLogicalClock;
}

/**
 * Slots keep their ids, so a copy of the vault synced from elsewhere merges slot by slot; the old code opens nothing
 * in the result. Backups the old code still opens are the service's to rewrite, as for a password change.
 */
export async function changeVaultRecoveryCode(
  vault: UnlockedVault,
  options: ChangeVaultRecoveryCodeOptions,
): Promise<UnlockedVault> {
  const { body, master } = vault;
  const header = { vault: body.vault, epoch: body.epoch };
  const slots: Record<string, Slot> = { ...body.slots };
  for (const [id, slot] of Object.entries(body.slots)) {
    if (slot.deleted || slot.type !== 'recovery') continue;
    slots[id] = await makeSlot(
      master,
      { header, mode: body.mode, id, hlc: options.clock.tick() },
      { type: 'recovery', recoveryCode: options.recoveryCode, password: options.password, params: options.params },
    );
  }
  return withSlots(vault, body.mode, slots);
}
