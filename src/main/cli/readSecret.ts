// A password, PIN or recovery code for a command: from its environment variable (scripts) or typed without echo.

import type { EnvironmentSecrets, SecretVariable } from './environmentSecrets.js';
import type { CliIo } from './registry.js';
import { UsageError } from './UsageError.js';

export interface ReadSecretOptions {
  /** The variable scripts set, e.g. LATCHKEY_PASSWORD. */
  env: SecretVariable;
  /** The prompt, e.g. "Password for alice@example.com: ". */
  question: string;
  /** What it is, for the error when nobody can type it ("the password"). */
  what: string;
}

/**
 * The secret as bytes the caller zeroes. The variable wins when set (even at a terminal, so a script run by hand behaves
 * the same); otherwise the person at the terminal types it. Nobody to ask and no variable: a usage error naming it.
 */
export async function readSecret(io: CliIo, secrets: EnvironmentSecrets, options: ReadSecretOptions): Promise<Buffer> {
  const fromEnv = secrets.get(options.env);
  if (fromEnv !== undefined) return fromEnv;
  if (!io.interactive || !io.prompt) {
    throw new UsageError(
      `${options.what} is needed: set ${options.env} (scripts), or run the command at a terminal to type it`,
    );
  }
  const typed = await io.prompt(options.question, { hidden: true });
  if (typed === undefined || typed.length === 0) {
    typed?.fill(0);
    throw new UsageError(`no ${options.what.replace(/^the /, '')} was typed`);
  }
  return typed;
}
