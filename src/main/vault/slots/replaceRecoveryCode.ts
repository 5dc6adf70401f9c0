// Replaces the recovery code: a recovery slot with a new secret under the new code, in place of the old one.

import { randomUUID } from 'node:crypto';
import type { Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import { open } from '../crypto/aesGcm.js';
import { slotAad } from '../crypto/additionalData.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';
import { bytes } from '../file/encodedBytes.js';
import { makeRecoverySlot, recoveryPasswordMatches } from './recoverySlot.js';
import type { Slot } from './slotSchema.js';
import { passwordSlotKey } from './slotKeys.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

export interface ReplaceRecoveryCodeOptions {
  /** The new code, as the relying party made it and shows it once. */
  recoveryCode: Secret;
  /** The vault's password: the new slot opens with the new code together with it. Checked first. */
  password: Secret;
  /** Argon2id parameters for the code and password layers (calibrateArgon2). */
  params: Argon2Params;
  clock: HybridLogicalClock;
}

/**
 * Code regeneration and the end of a recovery (after the recovery slot opened the vault): the first live recovery slot
 * is made again under its id with a new secret, so the old code (with any password) opens nothing afterwards; further
 * recovery slots (two desktops that each set a code before syncing) become tombstones; a vault without one gets one.
 * The password is checked against the recovery slot (or the password slot) first: a slot made under a mistyped
 * password would only fail on the day it is needed.
 */
export async function replaceRecoveryCode(
  vault: UnlockedVault,
  options: ReplaceRecoveryCodeOptions,
): Promise<UnlockedVault> {
  const { body, master } = vault;
  const { recoveryCode, password, params, clock } = options;
  if ((await isVaultPassword(vault, password)) === false)
    throw new VaultUnlockError(
      'wrong-factor',
      'password',
      'The password given is not the vault password, so no new recovery code was set (it would not open the vault with the right one).',
    );
  const header = { vault: body.vault, epoch: body.epoch };
  const slots: Record<string, Slot> = { ...body.slots };
  const recoveryIds = Object.entries(body.slots)
    .filter(([, slot]) => slot.type === 'recovery' && !slot.deleted)
    .map(([id]) => id);
  for (const id of recoveryIds.slice(1)) slots[id] = { type: 'recovery', hlc: clock.tick(), deleted: true };
  const id = recoveryIds[0] ?? randomUUID();
  slots[id] = await makeRecoverySlot(
    master,
    { header, mode: body.mode, id, hlc: clock.tick() },
    { recoveryCode, password, params },
  );
  return withSlots(vault, body.mode, slots);
}

/** Whether a recovery or password slot opens with `password`; undefined when the vault has neither to ask. */
async function isVaultPassword(vault: UnlockedVault, password: Secret): Promise<boolean | undefined> {
  const { body, master } = vault;
  const header = { vault: body.vault, epoch: body.epoch };
  for (const [id, slot] of Object.entries(body.slots)) {
    if (slot.deleted || slot.type !== 'recovery') continue;
    return recoveryPasswordMatches(master, { header, id }, slot, password);
  }
  for (const [id, slot] of Object.entries(body.slots)) {
    if (slot.deleted || slot.type !== 'password') continue;
    const key = await passwordSlotKey(password, bytes(slot.kdf.salt), slot.kdf);
    try {
      const aad = slotAad(header, id, slot.type, slot.share);
      const opened = open(key, { nonce: bytes(slot.nonce), ciphertext: bytes(slot.wrapped) }, aad);
      if (!opened) return false;
      zeroize(opened);
      return true;
    } finally {
      zeroize(key);
    }
  }
  return undefined;
}
