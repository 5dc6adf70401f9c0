// Rewrites an open vault's slots to the shape of another sign-in mode (docs/vault-format.md, "Modes").

import { randomUUID } from 'node:crypto';
import type { OsKeychain } from '../../secrets/OsKeychain.js';
import type { Secret } from '../../secrets/secretBytes.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';
import { bytes } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import { makeSlot } from './makeSlot.js';
import type { Slot } from './slotSchema.js';
import { shareFor } from './shareFor.js';
import type { KeyOutput } from './slotKeys.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

export interface ReshapeOptions {
  mode: VaultMode;
  /** Needed when the new mode has a password slot whose share changes, or none existed. */
  password?: Secret;
  /** Argon2id parameters for a rewritten password slot (calibrateArgon2). */
  params?: Argon2Params;
  /** Outputs of every key whose slot must wrap another share (to or from password-and-key): one touch each. */
  keys?: readonly KeyOutput[];
  /** Seals a new slot key for every os-keychain slot whose share changes (the desktop app's keychain). */
  keychain?: OsKeychain;
  clock: HybridLogicalClock;
}

/**
 * Rewrites the slots to the shape of `mode`: key-only drops the password slot (else the password alone would still open
 * the file), leaving key-only brings it back from the password, and moving to or from password-and-key rewraps the
 * password slot and every key slot with the other share (an os-keychain slot with a new slot key, sealed by the
 * keychain).
 */
export async function reshape(vault: UnlockedVault, options: ReshapeOptions): Promise<UnlockedVault> {
  const { body, master } = vault;
  const { mode, clock } = options;
  const header = { vault: body.vault, epoch: body.epoch };
  const slots: Record<string, Slot> = {};
  let passwordSlotId: string | undefined;
  for (const [id, slot] of Object.entries(body.slots)) {
    slots[id] = slot;
    if (slot.deleted || slot.type === 'recovery') continue;
    if (slot.type === 'password') {
      passwordSlotId = id;
      if (mode === 'key-only') slots[id] = { type: 'password', hlc: clock.tick(), deleted: true };
      continue;
    }
    if (slot.share === shareFor(mode, slot.type)) continue;
    if (slot.type === 'os-keychain') {
      // The slot is made again with a new slot key rather than its old one opened: either needs the keychain, and a
      // fresh key keeps nothing of the old shape.
      if (!options.keychain)
        throw new VaultUnlockError(
          'missing-factor',
          'os keychain',
          `Changing to ${mode} mode rewraps every key slot, and the slot of key ${slot.credentialId.slice(0, 8)}... goes through the OS keychain: change the mode in the desktop app (or remove its slot first).`,
        );
      slots[id] = await makeSlot(
        master,
        { header, mode, id, hlc: clock.tick() },
        { type: 'os-keychain', credentialId: bytes(slot.credentialId), keychain: options.keychain },
      );
      continue;
    }
    const key = options.keys?.find(
      (k) => Buffer.from(k.credentialId).equals(bytes(slot.credentialId)) && k.uv === slot.uv,
    );
    if (!key)
      throw new VaultUnlockError(
        'missing-factor',
        'security key',
        `Changing to ${mode} mode rewraps every key slot: touch the key of slot ${slot.credentialId.slice(0, 8)}... (or remove its slot first).`,
      );
    slots[id] = await makeSlot(
      master,
      { header, mode, id, hlc: clock.tick() },
      { type: slot.type, key, salt: bytes(slot.salt) },
    );
  }
  const password = passwordSlotId ? body.slots[passwordSlotId] : undefined;
  if (mode !== 'key-only' && (!password || password.deleted || password.share !== shareFor(mode, 'password'))) {
    if (options.password === undefined || !options.params)
      throw new VaultUnlockError(
        'missing-factor',
        'password',
        `Changing to ${mode} mode writes the password slot: the password is needed.`,
      );
    const id = passwordSlotId ?? randomUUID();
    slots[id] = await makeSlot(
      master,
      { header, mode, id, hlc: clock.tick() },
      { type: 'password', password: options.password, params: options.params },
    );
  }
  return withSlots(vault, mode, slots);
}
