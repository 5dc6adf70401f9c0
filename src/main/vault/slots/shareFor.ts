// Which share a slot of a given type wraps in a given mode, and the bytes of that share for a master key.

import type { VaultMode } from '../file/vaultFileSchema.js';
import { keyShare, passwordShare } from '../crypto/xorShares.js';
import type { SlotShare, SlotType } from './slotSchema.js';

/** Recovery always wraps the whole key (it replaces lost keys); in password-and-key mode the factors wrap shares. */
export function shareFor(mode: VaultMode, type: SlotType): SlotShare {
  if (mode !== 'password-and-key' || type === 'recovery') return 'master';
  return type === 'password' ? 'password-share' : 'key-share';
}

/** A fresh copy of what a slot wrapping `share` holds. Zero it when done. */
export function shareBytes(master: Uint8Array, share: SlotShare): Buffer {
  if (share === 'password-share') return passwordShare(master);
  if (share === 'key-share') return keyShare(master);
  return Buffer.from(master);
}
