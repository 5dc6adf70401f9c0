// What an account command works with: a services Session over --data-dir and the keys (real or --virtual-key), and its output.

import { resolve } from 'node:path';
import type { SignedIn } from '../rp/index.js';
import { Session } from '../services/index.js';
import { CLI_JSON_VERSION } from './deviceJson.js';
import type { EnvironmentSecrets } from './environmentSecrets.js';
import type { CliGlobals } from './globalOptions.js';
import { interruption } from './interruption.js';
import type { CliIo } from './registry.js';
import { terminalPrompter } from './terminalPrompter.js';
import { UsageError } from './UsageError.js';

export interface SignInChoice {
  /** `login --with-key`: a password-or-key account signs in with the key alone (and its PIN) instead of the password. */
  withKey?: boolean;
}

export interface CliSession {
  readonly session: Session;
  readonly io: CliIo;
  /**
   * Signs in for this one command (the command line keeps no session between runs) and prints the warnings (a clone
   * warning, orphaned keys) on stderr, every time.
   */
  signIn(email: string | undefined, choice?: SignInChoice): Promise<SignedIn>;
  /**
   * The command's result: `human` lines on stdout, or with --json one document with `version`, `virtualKey` (the
   * demo notice, null for real keys) and `body`'s members.
   */
  print(human: readonly string[], body: Record<string, unknown>): void;
}

/**
 * Opens a session, runs `command`, and always closes it. The demo-key notice goes to stderr first, before any password
 * is asked, and into every --json document. Ctrl+C cancels a key waiting for a touch instead of killing the process
 * mid-write.
 */
export async function withSession(
  globals: CliGlobals,
  io: CliIo,
  json: boolean,
  command: (cli: CliSession) => Promise<number>,
): Promise<number> {
  const virtualKey = globals.virtualKey === undefined ? undefined : resolve(globals.virtualKey);
  const stop = interruption();
  try {
    const prompter = terminalPrompter({ io, secrets: io.secrets ?? noSecrets, virtualKey: virtualKey !== undefined });
    const session = await Session.open({
      ...(globals.dataDir === undefined ? {} : { dataDir: globals.dataDir }),
      ...(virtualKey === undefined ? {} : { virtualKey }),
      prompter,
      signal: stop.signal,
      onWarning: (warning) => io.err(`Warning: ${warning.message}.`),
      vault: { kdfTargetMs: vaultKdfTargetMs(io.env ?? process.env) },
    });
    const virtual = session.keys.virtual;
    if (virtual) io.err(virtual.notice);
    const cli: CliSession = {
      session,
      io,
      async signIn(email, choice = {}) {
        // The command line's rule (docs/cli.md): a password-or-key account signs in with the password unless --with-key.
        const signedIn = await session.signIn({
          ...(email === undefined ? {} : { email }),
          prefer: choice.withKey === true ? 'key' : 'password',
        });
        for (const warning of signedIn.warnings) io.err(`Warning: ${warning.message}.`);
        return signedIn;
      },
      print(human, body) {
        if (json) io.out(JSON.stringify({ version: CLI_JSON_VERSION, virtualKey: virtual ?? null, ...body }, null, 2));
        else for (const line of human) io.out(line);
      },
    };
    try {
      return await command(cli);
    } finally {
      await session.close();
    }
  } finally {
    stop.dispose();
  }
}

const noSecrets: EnvironmentSecrets = { has: () => false, get: () => undefined, dispose: () => undefined };

/**
 * LATCHKEY_VAULT_KDF_MS: how long one password unlock of a new vault slot should take here, in ms (default 250, as
 * docs/vault-format.md says). A slow test machine or a script that makes many accounts lowers it; Argon2id never goes
 * below its floor (m = 19 MiB, t = 2) whatever it says.
 */
function vaultKdfTargetMs(env: Record<string, string | undefined>): number {
  const text = env.LATCHKEY_VAULT_KDF_MS;
  if (text === undefined || text === '') return 250;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new UsageError(
      `LATCHKEY_VAULT_KDF_MS must be a whole number of milliseconds from 0 to 60000, got ${JSON.stringify(text.slice(0, 20))}`,
    );
  return ms;
}
