// The vault entries' one error type: the field at fault, a machine-readable reason and a sentence that never holds a secret.

/** What a VaultEntryError is about: an entry field, an otpauth URI, a group, or an id that names nothing. */
export type VaultEntryField =
  | 'otp_type'
  | 'service'
  | 'account'
  | 'secret'
  | 'digits'
  | 'algorithm'
  | 'period'
  | 'counter'
  | 'icon'
  | 'note'
  | 'id'
  | 'groups'
  | 'order'
  | 'created_at'
  | 'updated_at'
  | 'uri'
  | 'group'
  | 'name'
  | 'entry';

/** Why: the UI and the CLI switch on these. */
export type VaultEntryErrorReason =
  'missing' | 'invalid' | 'out-of-range' | 'unknown-id' | 'duplicate' | 'unparseable' | 'unsupported';

/**
 * Refused entry input. The message names the field and says what was found and what was expected, except for the
 * secret, whose value is never echoed (nor kept as a cause): messages reach logs, the audit log and `--json` output.
 */
export class VaultEntryError extends Error {
  override readonly name = 'VaultEntryError';

  constructor(
    readonly field: VaultEntryField,
    readonly reason: VaultEntryErrorReason,
    message: string,
  ) {
    super(message);
  }
}
