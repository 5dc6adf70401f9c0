// Test helpers for vault entries: an independent base32 encoder and an entry maker with fixed ids and times.

import { newEntry } from '../../../../src/main/vault/entries/newEntry.js';
import type { VaultEntry } from '../../../../src/main/vault/entries/vaultEntry.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, written here rather than borrowed from the code under test. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A secret no test ever shows on purpose: each test checks it never surfaces in a message. */
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const NOW = new Date('2026-01-02T03:04:05.000Z');

let counter = 0;

/** A stored entry with a predictable UUID; `input` overrides the TOTP defaults. */
export function makeEntry(input: Record<string, unknown> = {}, order = 0): VaultEntry {
  counter += 1;
  const id = `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
  return newEntry({ input: { service: 'Example', account: 'alice', secret: SECRET, ...input }, id, now: NOW, order });
}
