// The refusal of a change worked out on a vault another writer changed since (the app beside a `latchkey` command).

/** Another writer changed the vault between this session's read and its write: nothing was written. */
export class VaultChangedError extends Error {
  override readonly name = 'VaultChangedError';
  constructor(
    message = 'the vault was changed by another Latchkey window or command meanwhile; nothing was written, do it again',
  ) {
    super(message);
  }
}
