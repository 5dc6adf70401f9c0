// The safeStorage keychain's decisions (refused when unavailable or, on Linux, backed by no real store) and its bytes
// through base64, over a stand-in safeStorage: Electron cannot run here.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  safeStorageAvailability,
  safeStorageKeychain,
  type SafeStorageLike,
} from '../../../src/main/app/safeStorageKeychain.js';

/** safeStorage's shape: strings sealed with AES-256-GCM under a key of its own, the backend and availability given. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const key = randomBytes(32);
  const plainTexts: string[] = [];
  const storage: SafeStorageLike = {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    async encryptStringAsync(plainText) {
      plainTexts.push(plainText);
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      return Buffer.concat([nonce, cipher.update(plainText, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    },
    async decryptStringAsync(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(encrypted.length - 16));
      const text = Buffer.concat([decipher.update(encrypted.subarray(12, encrypted.length - 16)), decipher.final()]);
      return { result: text.toString('utf8'), shouldReEncrypt: false };
    },
  };
  return { storage, plainTexts };
}

describe('safeStorageAvailability', () => {
  it('refuses Linux basic_text: its fixed password protects nothing', () => {
    const answer = safeStorageAvailability({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' });
    expect(answer).toEqual({ ok: false, reason: expect.stringMatching(/protects nothing/) });
  });

  it('refuses Linux before a store is picked (unknown), and a Linux state with no backend given', () => {
    expect(safeStorageAvailability({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' }).ok).toBe(
      false,
    );
    expect(safeStorageAvailability({ platform: 'linux', encryptionAvailable: true }).ok).toBe(false);
  });

  it('refuses when encryption is unavailable, saying why for the platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const answer = safeStorageAvailability({ platform, encryptionAvailable: false, backend: 'kwallet5' });
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.reason).toMatch(/\.$/);
    }
  });

  it('accepts a real Linux secret store, Windows and macOS', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])
      expect(safeStorageAvailability({ platform: 'linux', encryptionAvailable: true, backend })).toEqual({ ok: true });
    expect(safeStorageAvailability({ platform: 'win32', encryptionAvailable: true })).toEqual({ ok: true });
    expect(safeStorageAvailability({ platform: 'darwin', encryptionAvailable: true })).toEqual({ ok: true });
  });
});

describe('safeStorageKeychain', () => {
  it('seals bytes as base64 text and opens them back to the same bytes', async () => {
    const { storage, plainTexts } = fakeSafeStorage();
    const keychain = safeStorageKeychain(storage, 'linux');
    const slotKey = randomBytes(32);
    const sealed = await keychain.seal(slotKey);
    expect(plainTexts).toEqual([slotKey.toString('base64')]);
    expect(Buffer.from(sealed).includes(slotKey)).toBe(false);
    expect(Buffer.from(await keychain.open(sealed)).equals(slotKey)).toBe(true);
  });

  it('neither seals nor opens on a refused backend', async () => {
    const good = safeStorageKeychain(fakeSafeStorage().storage, 'linux');
    const sealed = await good.seal(randomBytes(32));
    const { storage, plainTexts } = fakeSafeStorage({ backend: 'basic_text' });
    const basic = safeStorageKeychain(storage, 'linux');
    expect(await basic.available()).toMatchObject({ ok: false });
    await expect(basic.seal(randomBytes(32))).rejects.toThrow(/protects nothing/);
    await expect(basic.open(sealed)).rejects.toThrow(/protects nothing/);
    expect(plainTexts).toEqual([]);
  });

  it('does not ask Windows or macOS for a Linux backend', async () => {
    const { storage } = fakeSafeStorage();
    storage.getSelectedStorageBackend = () => {
      throw new Error('Linux only');
    };
    expect(await safeStorageKeychain(storage, 'win32').available()).toEqual({ ok: true });
  });

  it('refuses an answer that is not the base64 it sealed (another store, or a changed blob)', async () => {
    const { storage } = fakeSafeStorage();
    const keychain = safeStorageKeychain(storage, 'darwin');
    for (const text of ['', 'not base64 at all!', 'QUJDRA', 'QUJDRB=='])
      await expect(keychain.open(await storage.encryptStringAsync(text))).rejects.toThrow(/did not seal/);
  });
});
