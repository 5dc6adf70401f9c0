// The services' own error: a machine-readable reason, the facts a front end words it from, and a default sentence.

/**
 * - `cancelled`: the person cancelled a prompt.
 * - `signed-out`: the operation needs a signed-in account and the session has none (never signed in, or locked).
 * - `no-account`: the data folder has no account yet.
 * - `account-ambiguous`: several accounts exist and nothing says which one is meant.
 * - `key-not-registered`: the key used holds no credential of the account (or of any account, without an email).
 * - `key-ambiguous`: an operation on one key found several connected.
 * - `key-in-use`: the virtual key's state file is held by another process.
 * - `key-state-invalid`: the virtual key's state file cannot be used (a folder, a missing folder).
 * - `vault-locked`: signed in, but the vault did not open (damaged, or the key used cannot unlock it).
 */
export type ServiceErrorReason =
  | 'cancelled'
  | 'signed-out'
  | 'no-account'
  | 'account-ambiguous'
  | 'key-not-registered'
  | 'key-ambiguous'
  | 'key-in-use'
  | 'key-state-invalid'
  | 'vault-locked';

/** What a front end needs to say it its own way (a command-line option, a button). */
export interface ServiceErrorDetails {
  /** The account concerned. */
  email?: string;
  /** How many accounts the data folder has. */
  accounts?: number;
  /** The data folder. */
  dataDir?: string;
}

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly details: ServiceErrorDetails;

  constructor(
    readonly reason: ServiceErrorReason,
    message: string,
    options: { cause?: unknown; details?: ServiceErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }
}
