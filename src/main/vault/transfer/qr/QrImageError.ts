// The error for a picture the QR decoder refuses: a machine-readable reason and a sentence with what was found.

/** Why: the UI and the CLI switch on these. */
export type QrImageErrorReason = 'unsupported-format' | 'too-large' | 'damaged' | 'text-too-long';

/** A refused picture. The message says what was found and what was expected, never a decoded text (it may be a secret). */
export class QrImageError extends Error {
  override readonly name = 'QrImageError';

  constructor(
    readonly reason: QrImageErrorReason,
    message: string,
  ) {
    super(message);
  }
}
