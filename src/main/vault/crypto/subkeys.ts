// The keys derived from the master key, one per use, so the entries' cipher key never doubles as the slot set's MAC key.

import { hkdfSync } from 'node:crypto';

/** HKDF-SHA256 info strings (docs/vault-format.md, "Keys"). */
export const SUBKEY_INFO = {
  entries: 'latchkey-vault/v1/entries',
  slotSetMac: 'latchkey-vault/v1/slot-set-mac',
  recoverySecret: 'latchkey-vault/v1/recovery-secret',
  openCache: 'latchkey-vault/v1/open-cache',
} as const;

/** 32 bytes of HKDF-SHA256(master, salt = empty, info). Zero it when done. */
export function subkey(master: Uint8Array, use: keyof typeof SUBKEY_INFO): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), SUBKEY_INFO[use], 32));
}
