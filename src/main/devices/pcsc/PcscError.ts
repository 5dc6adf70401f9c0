// The typed errors of the PC/SC service: what is wrong with the smart card stack, said so a user can fix it.

export type PcscErrorCode =
  /** pcscd (Linux) or the Smart Card service (Windows) is not running, or PC/SC support could not be loaded. */
  | 'service-unavailable'
  /** No such reader, or no reader at all. */
  | 'no-reader'
  /** The reader has no card (or NFC key) on it. */
  | 'no-card'
  /** Another application holds the card exclusively. */
  | 'sharing-violation'
  | 'access-denied'
  | 'pcsc-failure';

export class PcscError extends Error {
  override readonly name = 'PcscError';
  /** The PC/SC error name pcsc-mini reported (e.g. NoService, NoSmartCard), when there was one. */
  readonly pcscCode: string | undefined;

  constructor(
    readonly code: PcscErrorCode,
    message: string,
    options?: { pcscCode?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.pcscCode = options?.pcscCode;
  }
}
