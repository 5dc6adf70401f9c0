// The MAC over the whole slot set under the master key: nobody who can only write the folder can plant or edit a slot.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { zeroize } from '../../secrets/zeroize.js';
import { slotSetBytes, type VaultHeader } from '../crypto/additionalData.js';
import { subkey } from '../crypto/subkeys.js';
import type { Slot } from './slotSchema.js';

export function slotSetMac(master: Uint8Array, header: VaultHeader, mode: string, slots: Record<string, Slot>): Buffer {
  const key = subkey(master, 'slotSetMac');
  try {
    return createHmac('sha256', key)
      .update(slotSetBytes(header, mode, slots))
      .digest();
  } finally {
    zeroize(key);
  }
}

export function slotSetMacMatches(
  master: Uint8Array,
  header: VaultHeader,
  mode: string,
  slots: Record<string, Slot>,
  mac: Uint8Array,
): boolean {
  const expected = slotSetMac(master, header, mode, slots);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
