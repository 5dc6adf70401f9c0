// The error of the lock-out guard: a slot change refused because the vault would be left with no usable way in.

export class VaultLockoutError extends Error {
  override readonly name = 'VaultLockoutError';

  constructor(readonly reason: string) {
    super(`Latchkey refused the change: ${reason}`);
  }
}
