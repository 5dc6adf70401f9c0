// The error for a call on an OpenVault after lock(): its master key is gone, the vault must be unlocked again.

export class VaultLockedError extends Error {
  override readonly name = 'VaultLockedError';

  constructor() {
    super('The vault is locked: sign in and unlock it again.');
  }
}
