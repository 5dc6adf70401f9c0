// The OS keychain over Electron's safeStorage, and when to refuse it: pure, so that it is tested where Electron cannot
// run (osKeychain.main.ts hands it the real safeStorage).

import type { OsKeychain, OsKeychainAvailability } from '../secrets/OsKeychain.js';
import { zeroize } from '../secrets/zeroize.js';

/** What Latchkey uses of Electron's `safeStorage` (its asynchronous API: the synchronous one is deprecated). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  /** Linux only: which password store safeStorage picked. */
  getSelectedStorageBackend(): string;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
}

/**
 * Linux backends that protect nothing: `basic_text` encrypts with a password built into Chromium (the same on every
 * computer), and `unknown` means safeStorage was asked before the app was ready and has picked no store.
 */
const UNPROTECTED_LINUX_BACKENDS: Record<string, string> = {
  basic_text:
    'this desktop has no secret service Electron knows (GNOME Keyring, KWallet), and its fallback encrypts with a password built into Electron, which protects nothing.',
  unknown: 'Electron has not picked a password store on this desktop yet (the app is not ready).',
};

export interface SafeStorageState {
  platform: NodeJS.Platform;
  /** safeStorage.isAsyncEncryptionAvailable() */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend(), asked on Linux only. */
  backend?: string;
}

/** Whether safeStorage protects a slot key here: available, and on Linux backed by a real secret store. */
export function safeStorageAvailability(state: SafeStorageState): OsKeychainAvailability {
  if (!state.encryptionAvailable) {
    const reason =
      state.platform === 'linux'
        ? 'no secret service (GNOME Keyring, KWallet) answers on this desktop.'
        : state.platform === 'darwin'
          ? 'macOS did not give Latchkey its Keychain.'
          : 'the operating system offers Latchkey no way to encrypt for this user.';
    return { ok: false, reason };
  }
  if (state.platform === 'linux') {
    const unprotected = UNPROTECTED_LINUX_BACKENDS[state.backend ?? 'unknown'];
    if (unprotected !== undefined) return { ok: false, reason: unprotected };
  }
  return { ok: true };
}

/**
 * An OsKeychain over safeStorage. safeStorage seals strings, so the bytes go through base64: that string and the one
 * decryptStringAsync answers are JavaScript strings, which cannot be wiped (a limit of the API, kept to the few
 * moments of a seal or an open); the decoded bytes are returned for the caller to zero. An answer that is not the
 * canonical base64 Latchkey sealed (another store's, or a changed blob that decrypted to noise) is refused.
 */
export function safeStorageKeychain(safeStorage: SafeStorageLike, platform: NodeJS.Platform): OsKeychain {
  const available = async () =>
    safeStorageAvailability({
      platform,
      encryptionAvailable: await safeStorage.isAsyncEncryptionAvailable(),
      ...(platform === 'linux' ? { backend: safeStorage.getSelectedStorageBackend() } : {}),
    });
  return {
    available,
    async seal(bytes) {
      const availability = await available();
      if (!availability.ok) throw new Error(`The OS keychain cannot be used: ${availability.reason}`);
      return new Uint8Array(await safeStorage.encryptStringAsync(Buffer.from(bytes).toString('base64')));
    },
    async open(sealed) {
      const availability = await available();
      if (!availability.ok) throw new Error(`The OS keychain cannot be used: ${availability.reason}`);
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed));
      const bytes = Buffer.from(result, 'base64');
      if (bytes.length === 0 || bytes.toString('base64') !== result) {
        zeroize(bytes);
        throw new Error('The OS keychain answered with something Latchkey did not seal.');
      }
      return bytes;
    },
  };
}
