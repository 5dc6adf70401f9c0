// The lock-out guard: whether a slot set still opens the vault in its mode, and if not, the sentence that says why.

import type { VaultMode } from '../file/vaultFileSchema.js';
import type { LiveSlot, Slot } from './slotSchema.js';

/** Why `slots` leave no way in for `mode`, or undefined when they open it. Recovery is no way in: it needs the code. */
export function lockoutReason(mode: VaultMode, slots: Record<string, Slot>): string | undefined {
  const live = Object.values(slots).filter((slot): slot is LiveSlot => !slot.deleted);
  const keyLike = live.filter((slot) => slot.type === 'fido2-hmac-secret' || slot.type === 'os-keychain');
  const passwords = live.filter((slot) => slot.type === 'password');
  switch (mode) {
    case 'password-or-key':
      if (keyLike.length + passwords.length === 0)
        return 'the vault would have neither a password slot nor a key slot, so nothing would open it.';
      return undefined;
    case 'password-and-key':
      if (passwords.length === 0)
        return 'password-and-key mode needs the password slot, and the vault would have none: set the password first.';
      if (keyLike.length === 0)
        return 'password-and-key mode needs a key slot, and the vault would have none: add a key with hmac-secret first.';
      return undefined;
    case 'key-only':
      if (keyLike.length === 0)
        return 'key-only mode opens the vault only with a security key, and the vault would have no key slot: add a key with hmac-secret (or an os-keychain slot) first.';
      return undefined;
  }
}
