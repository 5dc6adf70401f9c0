// The error for factors that do not open the vault: one is missing for the vault's mode, or none given opens a slot.

/** `missing-factor`: the mode needs a factor that was not given; `wrong-factor`: what was given opens no slot. */
export type VaultUnlockFailure = 'missing-factor' | 'wrong-factor';

export class VaultUnlockError extends Error {
  override readonly name = 'VaultUnlockError';

  constructor(
    readonly reason: VaultUnlockFailure,
    /** The factor to ask for (again): `password`, `security key`, `recovery code`... */
    readonly factor: string,
    message: string,
  ) {
    super(message);
  }
}
