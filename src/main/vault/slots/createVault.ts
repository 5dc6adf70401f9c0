// Creates a vault: a random 256-bit master key, a random vault UUID, epoch 1, its first slots and no entries.

import { randomBytes, randomUUID } from 'node:crypto';
import type { HybridLogicalClock } from '../clock/HybridLogicalClock.js';
import { base64 } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import type { VaultBody } from '../file/vaultText.js';
import { makeSlot, type SlotSpec } from './makeSlot.js';
import type { Slot } from './slotSchema.js';
import type { UnlockedVault } from './unlock.js';
import { withSlots } from './withSlots.js';

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
