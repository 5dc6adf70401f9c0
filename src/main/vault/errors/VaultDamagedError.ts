// The error for a vault file whose bytes fail a check: which part failed and how, never any of its content.

export interface VaultDamagedErrorOptions {
  /** The part that failed: `the file checksum`, `the slot list`, `entry <uuid>`, `member slots.<uuid>.nonce`... */
  part: string;
  /** What was found and what was expected, in a few words. */
  problem: string;
  cause?: unknown;
}

export class VaultDamagedError extends Error {
  override readonly name = 'VaultDamagedError';
  readonly part: string;
  readonly problem: string;

  constructor(options: VaultDamagedErrorOptions) {
    super(
      `The vault file is damaged: ${options.part} ${options.problem}. Latchkey has not changed it; restore a backup.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.part = options.part;
    this.problem = options.problem;
  }
}
