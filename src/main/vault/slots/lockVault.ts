// Locks an open vault: overwrites its master key, after which nothing derived from this UnlockedVault opens an entry.

import { zeroize } from '../../secrets/zeroize.js';
import type { UnlockedVault } from './unlock.js';

export function lockVault(vault: UnlockedVault): void {
  zeroize(vault.master);
}
