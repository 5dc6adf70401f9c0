// The relying party's one error type: a machine-readable reason and a sentence that says what was found and what was expected.

/** Why the relying party refused something. The UI and the CLI switch on these; the audit log records them. */
export type RelyingPartyErrorReason =
  // Input that is not what the API accepts.
  | 'email-invalid'
  | 'email-taken'
  | 'password-too-short'
  | 'password-too-long'
  | 'password-blank'
  | 'user-unknown'
  | 'display-name-invalid'
  | 'confirmation-required'
  // Challenges.
  | 'challenge-unknown'
  | 'challenge-reused'
  | 'challenge-expired'
  | 'challenge-wrong-ceremony'
  // The WebAuthn response.
  | 'response-malformed'
  | 'client-data-invalid'
  | 'type-mismatch'
  | 'origin-mismatch'
  | 'cross-origin'
  | 'rp-id-mismatch'
  | 'authenticator-data-invalid'
  | 'user-presence-missing'
  | 'user-verification-missing'
  | 'algorithm-not-allowed'
  | 'attestation-invalid'
  | 'signature-invalid'
  | 'credential-unknown'
  | 'credential-revoked'
  | 'credential-exists'
  | 'credential-not-allowed'
  | 'credential-orphaned'
  | 'user-handle-missing'
  | 'user-handle-mismatch'
  | 'clone-warning'
  | 'backup-eligibility-changed'
  // Accounts and policy.
  | 'password-wrong'
  | 'password-disabled'
  | 'throttled'
  | 'mode-mismatch'
  | 'lockout'
  | 'recovery-code-wrong'
  | 'recovery-code-missing'
  | 'settings-invalid'
  | 'import-invalid';

export interface RelyingPartyErrorOptions {
  /** For `throttled`: how long the caller must wait before the next attempt is even looked at. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class RelyingPartyError extends Error {
  override readonly name = 'RelyingPartyError';
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly reason: RelyingPartyErrorReason,
    message: string,
    options: RelyingPartyErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
