// Replaces the master key (after a suspected leak): a new key and epoch, every entry sealed again, every slot rewrapped.

import { randomBytes } from 'node:crypto';
import type { OsKeychain } from '../../secrets/OsKeychain.js';
import type { Secret } from '../../secrets/secretBytes.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';
import { bytes } from '../file/encodedBytes.js';
import { deleteEntry, openEntries, putEntry } from '../file/entryRecords.js';
import { makeSlot, type SlotSpec } from './makeSlot.js';
import type { Slot } from './slotSchema.js';
import type { KeyOutput } from './slotKeys.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

export interface RotateMasterKeyOptions {
  /** Needed when the vault has a password or recovery slot. */
  password?: Secret;
  /** Needed when the vault has a recovery slot. */
  recoveryCode?: Secret;
  /** The output of every key that has a slot, for its salt and UV state: one touch each. */
  keys?: readonly KeyOutput[];
  /** Needed when the vault has an os-keychain slot: it seals the slot's new slot key (the desktop app's keychain). */
  keychain?: OsKeychain;
  /** Argon2id parameters for the rewrapped password and recovery slots (calibrateArgon2). */
  params: Argon2Params;
  clock: HybridLogicalClock;
}

/**
 * The one change two copies cannot merge (the other copy's records are under the old key), hence the epoch, raised by
 * one. Every slot is rewrapped under the new key, so every factor must be present; a slot whose factor is missing is
 * refused with a sentence rather than silently dropped (remove it first if that is what is meant). Entries keep their
 * clocks: their content did not change. The old master key is left to the caller to zero (lockVault).
 */
export async function rotateMasterKey(vault: UnlockedVault, options: RotateMasterKeyOptions): Promise<UnlockedVault> {
  const { body } = vault;
  const master = randomBytes(32);
  const epoch = body.epoch + 1;
  const header = { vault: body.vault, epoch };
  const slots: Record<string, Slot> = {};
  try {
    for (const [id, slot] of Object.entries(body.slots)) {
      if (slot.deleted) {
        slots[id] = slot;
        continue;
      }
      const spec = specFor(slot, options);
      slots[id] = await makeSlot(master, { header, mode: body.mode, id, hlc: options.clock.tick() }, spec);
    }
    let rotated = withSlots({ master, body: { ...body, epoch, entries: {} } }, body.mode, slots);
    for (const entry of openEntries(vault)) rotated = putEntry(rotated, entry, body.entries[entry.id]!.hlc);
    for (const [id, record] of Object.entries(body.entries))
      if (record.deleted) rotated = deleteEntry(rotated, id, record.hlc);
    return rotated;
  } catch (error) {
    master.fill(0);
    throw error;
  }
}

function specFor(slot: Exclude<Slot, { deleted: true }>, options: RotateMasterKeyOptions): SlotSpec {
  switch (slot.type) {
    case 'password':
      if (options.password === undefined)
        throw new VaultUnlockError(
          'missing-factor',
          'password',
          'Replacing the master key rewraps the password slot: the password is needed.',
        );
      return { type: 'password', password: options.password, params: options.params };
    case 'recovery':
      if (options.password === undefined || options.recoveryCode === undefined)
        throw new VaultUnlockError(
          'missing-factor',
          'recovery code',
          'Replacing the master key rewraps the recovery slot: the recovery code and the password are needed.',
        );
      return {
        type: 'recovery',
        recoveryCode: options.recoveryCode,
        password: options.password,
        params: options.params,
      };
    case 'fido2-hmac-secret': {
      const key = options.keys?.find(
        (k) => Buffer.from(k.credentialId).equals(bytes(slot.credentialId)) && k.uv === slot.uv,
      );
      if (!key)
        throw new VaultUnlockError(
          'missing-factor',
          'security key',
          `Replacing the master key rewraps every key slot: touch the key of slot ${slot.credentialId.slice(0, 8)}... (or remove its slot first).`,
        );
      return { type: 'fido2-hmac-secret', key, salt: bytes(slot.salt) };
    }
    case 'os-keychain':
      // A new slot key too: after a suspected leak nothing of the old wrap is kept.
      if (!options.keychain)
        throw new VaultUnlockError(
          'missing-factor',
          'os keychain',
          `Replacing the master key rewraps every key slot, and the slot of key ${slot.credentialId.slice(0, 8)}... goes through the OS keychain: replace it in the desktop app (or remove its slot first).`,
        );
      return { type: 'os-keychain', credentialId: bytes(slot.credentialId), keychain: options.keychain };
  }
}
