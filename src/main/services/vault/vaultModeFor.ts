// The vault's mode for an account's sign-in mode and the key slots it has (docs/vault-format.md, "Modes").

import type { SignInMode } from '../../rp/index.js';
import type { VaultMode } from '../../vault/file/vaultFileSchema.js';

/**
 * The vault opens the ways the account signs in. One exception follows the relying party: a password-and-key account
 * with no key that can unlock (none registered, or none with hmac-secret) signs in with the password alone, so its
 * vault is password-or-key with only the password slot until the first such key arrives.
 */
export function vaultModeFor(mode: SignInMode, keySlots: number): VaultMode {
  if (mode === 'password-and-key' && keySlots === 0) return 'password-or-key';
  return mode;
}
