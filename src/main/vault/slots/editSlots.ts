// Creates a vault and changes its slots (add, remove, reshape for a mode), each change checked by the lock-out guard.

import { randomBytes, randomUUID } from 'node:crypto';
import type { Secret } from '../../secrets/secretBytes.js';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { VaultLockoutError } from '../errors/VaultLockoutError.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';
import { base64, bytes } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import type { VaultBody } from '../file/vaultText.js';
import { lockoutReason } from './lockoutGuard.js';
import { makeSlot, type SlotSpec } from './makeSlot.js';
import type { Slot } from './slotSchema.js';
import { shareFor } from './shareFor.js';
import type { KeyOutput } from './slotKeys.js';
import { slotSetMac } from './slotSetMac.js';
import type { UnlockedVault } from './unlock.js';

/** The vault with `slots` and `mode`, its MAC recomputed, after the lock-out guard has let the change through. */
function withSlots(vault: UnlockedVault, mode: VaultMode, slots: Record<string, Slot>): UnlockedVault {
  const reason = lockoutReason(mode, slots);
  if (reason) throw new VaultLockoutError(reason);
  const { body, master } = vault;
  const mac = slotSetMac(master, { vault: body.vault, epoch: body.epoch }, mode, slots);
  return { master, body: { ...body, mode, slots, slotsMac: base64(mac) } };
}

export interface CreateVaultOptions {
  mode: VaultMode;
  /** The first slots; together they must open the vault in `mode`. */
  slots: readonly SlotSpec[];
  clock: HybridLogicalClock;
}

/** A new vault with a random 256-bit master key, epoch 1 and no entries. */
export async function createVault(options: CreateVaultOptions): Promise<UnlockedVault> {
  const master = randomBytes(32);
  const body: VaultBody = {
    format: 'latchkey-vault',
    version: 1,
    vault: randomUUID(),
    epoch: 1,
    mode: options.mode,
    slots: {},
    slotsMac: base64(Buffer.alloc(32)),
    entries: {},
  };
  let vault: UnlockedVault = { body, master };
  const slots: Record<string, Slot> = {};
  for (const spec of options.slots) {
    const id = randomUUID();
    slots[id] = await makeSlot(master, { header: body, mode: body.mode, id, hlc: options.clock.tick() }, spec);
  }
  vault = withSlots(vault, options.mode, slots);
  return vault;
}

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

export interface ReshapeOptions {
  mode: VaultMode;
  /** Needed when the new mode has a password slot whose share changes, or none existed. */
  password?: Secret;
  /** Argon2id parameters for a rewritten password slot (calibrateArgon2). */
  params?: Argon2Params;
  /** Outputs of every key whose slot must wrap another share (to or from password-and-key): one touch each. */
  keys?: readonly KeyOutput[];
  clock: HybridLogicalClock;
}

/**
 * Rewrites the slots to the shape of `mode`: key-only drops the password slot (else the password alone would still open
 * the file), leaving key-only brings it back from the password, and moving to or from password-and-key rewraps the
 * password slot and every key slot with the other share.
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
    if (slot.type === 'os-keychain')
      throw new VaultUnlockError('missing-factor', 'os keychain', 'os-keychain slots are not supported here yet.');
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
