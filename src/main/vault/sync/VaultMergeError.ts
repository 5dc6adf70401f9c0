// The error for two vault copies that cannot be merged record by record: another vault, another key epoch or mode.

/** Which header member differs between the two copies. */
export type VaultMergeFailure = 'different-vault' | 'different-epoch' | 'different-mode' | 'different-master-key';

export class VaultMergeError extends Error {
  override readonly name = 'VaultMergeError';

  constructor(
    readonly reason: VaultMergeFailure,
    message: string,
  ) {
    super(message);
  }
}
