// The error for entries that Google Authenticator's transfer format cannot carry: which ones, and why, never a secret.

/** One entry left out of a transfer: its id, its service and account (for the sentence), and the reason. */
export interface GoogleMigrationMisfit {
  id: string;
  label: string;
  reason: string;
}

export class GoogleMigrationError extends Error {
  override readonly name = 'GoogleMigrationError';

  constructor(readonly misfits: readonly GoogleMigrationMisfit[]) {
    const first = misfits[0];
    const more = misfits.length > 1 ? ` (and ${misfits.length - 1} more)` : '';
    super(
      `Google Authenticator's transfer cannot carry ${misfits.length} of the entries: ${first?.label} ${first?.reason}${more}. Leave them out, or export them another way (otpauth QR codes, Aegis, 2FAuth).`,
    );
  }
}
