// The OS keychain of the desktop app: Electron's safeStorage (DPAPI, macOS Keychain, libsecret or KWallet).

import { safeStorage } from 'electron';
import type { OsKeychain } from '../secrets/OsKeychain.js';
import { safeStorageKeychain } from './safeStorageKeychain.js';

/** Ask it after the app is ready: before, Linux has picked no password store and it refuses. */
export function createOsKeychain(): OsKeychain {
  return safeStorageKeychain(safeStorage, process.platform);
}
