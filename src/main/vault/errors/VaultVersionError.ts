// The error for a vault file written by a newer format version than this Latchkey reads.

export class VaultVersionError extends Error {
  override readonly name = 'VaultVersionError';

  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The vault file has format version ${found}, and this Latchkey reads version ${supported} at most: upgrade Latchkey to open it (do not restore a backup, which would lose what the newer version wrote).`,
    );
  }
}
