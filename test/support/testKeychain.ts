// Stand-ins for the OS keychain (Electron's safeStorage cannot run here): one that seals under a key it holds, one that
// reports itself unavailable, as a Linux desktop without a secret service does.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { OsKeychain } from '../../src/main/secrets/OsKeychain.js';

/**
 * AES-256-GCM under a key held in the test: a blob another TestKeychain sealed, or one changed by a bit, fails to open,
 * as the OS keychain of another user or computer fails. `sealed` and `opened` count the calls; `everSealed` keeps a
 * copy of every input, so a test can look for the slot keys in files.
 */
export class TestKeychain implements OsKeychain {
  readonly #key = randomBytes(32);
  sealedCount = 0;
  openedCount = 0;
  readonly everSealed: Buffer[] = [];

  async available() {
    return { ok: true as const };
  }

  async seal(bytes: Uint8Array): Promise<Uint8Array> {
    this.sealedCount++;
    this.everSealed.push(Buffer.from(bytes));
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    return Buffer.concat([nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
  }

  async open(sealed: Uint8Array): Promise<Uint8Array> {
    this.openedCount++;
    const blob = Buffer.from(sealed);
    if (blob.length < 28) throw new Error('the keychain blob is too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    return Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
  }
}

/** A keychain that cannot be used here, with the sentence a real one gives. */
export const UNAVAILABLE_KEYCHAIN: OsKeychain = {
  available: async () => ({ ok: false, reason: 'no secret service runs on this desktop.' }),
  seal: async () => {
    throw new Error('unavailable');
  },
  open: async () => {
    throw new Error('unavailable');
  },
};
