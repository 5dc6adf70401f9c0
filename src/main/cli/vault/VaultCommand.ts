// The shape of a vault command (`entry ...`, `code`, `group ...`): parsed before sign-in, run once the vault is open.

import type { OpenVault } from '../../services/vault/index.js';
import type { CliIo } from '../registry.js';

/** What a vault command runs with: the open vault (signed in and unlocked by the caller), the terminal, its output. */
export interface VaultCommandContext {
  vault: OpenVault;
  io: CliIo;
  /**
   * The result: `human` lines on stdout, or with --json one document with `body`'s members (CliSession.print, which
   * adds `version` and `virtualKey`).
   */
  print(human: readonly string[], body: Record<string, unknown>): void;
  /** Asks again who is there (Session.reauthenticate) before a secret leaves the vault; absent in unit tests. */
  reauthenticate?: () => Promise<void>;
  /** All of stdin, for --secret-stdin and `--uri -`. @default reads process.stdin to its end */
  readStdin?: () => Promise<Buffer>;
}

/** A command line read and checked: what to run once the vault is open. */
export interface PreparedVaultCommand {
  /** --json was given: the caller's session prints JSON. */
  json: boolean;
  /** --email E: the account whose vault it is (signed in by the caller); absent: the only account. */
  email?: string;
  run(context: VaultCommandContext): Promise<number>;
}

export interface VaultCommand {
  /** One line for `latchkey help`. */
  summary: string;
  usage: string;
  /**
   * Reads the command line. A UsageError here stops the command before anyone signs in or touches a key (a wrong
   * option, or a script deleting without --yes).
   */
  parse(args: string[], io: CliIo): PreparedVaultCommand;
}
