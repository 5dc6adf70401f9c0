// How a virtual CTAP2 command fails: an error carrying the CTAP status byte the key answers with.

/** Ends a command with a CTAP status byte; processCtap2 turns it into the one-byte answer. */
export class CtapStatusError extends Error {
  override readonly name = 'CtapStatusError';

  constructor(
    readonly status: number,
    detail?: string,
  ) {
    super(detail ?? `CTAP status 0x${status.toString(16).padStart(2, '0')}`);
  }
}
