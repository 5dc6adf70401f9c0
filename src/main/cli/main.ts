// Entry point of the `latchkey` command line: parses the command and dispatches to one handler per command.

import { readFileSync } from 'node:fs';
import { ClientError, toClientError } from '../../ctap/index.js';
import { DamagedStoreError, RelyingPartyError, type RelyingPartyErrorReason } from '../rp/index.js';
import {
  ServiceError,
  systemErrorMessage,
  VaultChangedError,
  VaultLockedError,
  type ServiceErrorReason,
} from '../services/index.js';
import {
  GoogleMigrationError,
  ImportError,
  QrImageError,
  VaultDamagedError,
  VaultLockoutError,
  VaultUnlockError,
  VaultVersionError,
} from '../vault/index.js';
import { FileLockTimeoutError } from '../store/fileLock.js';
import './commands/index.js';
import { takeEnvironmentSecrets } from './environmentSecrets.js';
import { GLOBAL_USAGE, takeGlobalOptions } from './globalOptions.js';
import { commands, type CliCommand, type CliIo } from './registry.js';
import { terminalPrompt } from './terminalPrompt.js';
import { UsageError } from './UsageError.js';

export { registerCommand, type CliCommand, type CliIo } from './registry.js';
export { UsageError } from './UsageError.js';

/** Exit codes (docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, damaged: 4 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** `print` is io.out for `latchkey help`, io.err when the help stands in for a missing command. */
function help(print: (text: string) => void): void {
  print(`Usage: latchkey ${GLOBAL_USAGE} <command> [options]\n\nCommands:`);
  for (const [name, command] of [...commands].sort(([a], [b]) => a.localeCompare(b)))
    print(`  ${name.padEnd(16)} ${command.summary}`);
  print('  help             this list\n  version          the version of Latchkey');
  print(
    `\nEvery command takes ${GLOBAL_USAGE}: the data folder (default: the OS's app data folder), and a virtual demo key kept in STATE instead of real keys.`,
  );
}

/** `latchkey key --help`: every subcommand of a group with its usage. */
function groupHelp(group: string, io: CliIo): void {
  io.out(`The "${group}" commands:`);
  for (const [name, command] of [...commands]
    .filter(([n]) => n.startsWith(`${group} `))
    .sort(([a], [b]) => a.localeCompare(b))) {
    io.out(`  ${name.padEnd(16)} ${command.summary}\n  ${''.padEnd(16)} Usage: ${command.usage}`);
  }
}

/**
 * Whether stdout's reader went away (`latchkey help | head`). The command still finishes what it started, a write to
 * the data folder included; only its output has nowhere to go, which is not an error worth a stack trace.
 */
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});

const consoleIo: CliIo = {
  out: (t) => {
    if (!stdoutClosed) process.stdout.write(`${t}\n`);
  },
  err: (t) => process.stderr.write(`${t}\n`),
  interactive: process.stdin.isTTY === true,
  ...(process.stdin.isTTY === true
    ? { prompt: (question: string, options: { hidden: boolean }) => terminalPrompt(question, options) }
    : {}),
};

/** The command for `words`: a three-word command (`device pin set`) first, then a two-word one (`key add`), then one word. */
function findCommand(words: readonly string[]): { name: string; command: CliCommand; rest: string[] } | undefined {
  const [first, second, third] = words;
  for (const name of [`${first} ${second} ${third}`, `${first} ${second}`, first]) {
    const command = name === undefined ? undefined : commands.get(name);
    if (command && name) return { name, command, rest: words.slice(name.split(' ').length) };
  }
  return undefined;
}

/** Turns a failure into its one-sentence message and exit code: the one place that decides what a user is told. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof RelyingPartyError)
    return { message: error.message, exitCode: BAD_VALUES.has(error.reason) ? EXIT.usage : EXIT.refused };
  if (error instanceof ServiceError) return describeServiceError(error);
  if (error instanceof DamagedStoreError) return { message: error.message, exitCode: EXIT.damaged };
  if (error instanceof VaultDamagedError || error instanceof VaultVersionError)
    return { message: error.message, exitCode: EXIT.damaged };
  if (error instanceof VaultLockoutError || error instanceof VaultUnlockError)
    return { message: error.message, exitCode: EXIT.refused };
  // A file that is not what it should be is a bad value on the command line, as a malformed email is.
  if (error instanceof ImportError || error instanceof QrImageError || error instanceof GoogleMigrationError)
    return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof VaultLockedError || error instanceof VaultChangedError)
    return { message: error.message, exitCode: EXIT.failed };
  if (error instanceof FileLockTimeoutError) return { message: error.message, exitCode: EXIT.failed };
  const system = systemErrorMessage(error);
  if (system !== undefined) return { message: system, exitCode: EXIT.failed };
  const clientError = error instanceof ClientError ? error : toClientError(error);
  return { message: clientError.message, exitCode: EXIT.failed };
}

/** Refusals of a value given on the command line: exit code 2 like any other bad value, not 3. */
const BAD_VALUES: ReadonlySet<RelyingPartyErrorReason> = new Set(['email-invalid', 'display-name-invalid']);

const SERVICE_EXIT: Record<ServiceErrorReason, number> = {
  cancelled: EXIT.failed,
  'signed-out': EXIT.failed,
  'no-account': EXIT.refused,
  'account-ambiguous': EXIT.usage,
  'key-not-registered': EXIT.refused,
  'key-ambiguous': EXIT.usage,
  'key-in-use': EXIT.failed,
  'key-state-invalid': EXIT.usage,
  'vault-locked': EXIT.refused,
};

/** The services' errors in the command line's words: the option or command that is the way out. */
function describeServiceError(error: ServiceError): { message: string; exitCode: number } {
  const { email, accounts, dataDir } = error.details;
  const exitCode = SERVICE_EXIT[error.reason];
  switch (error.reason) {
    case 'no-account':
      return {
        message: `there is no account in ${dataDir ?? 'this data folder'} yet: create one with "latchkey account create --email E"`,
        exitCode,
      };
    case 'account-ambiguous':
      return {
        message: `there are ${accounts ?? 'several'} accounts in ${dataDir ?? 'this data folder'}: name yours with --email E`,
        exitCode,
      };
    case 'key-not-registered':
      if (email !== undefined)
        return {
          message: `This key is not registered to ${email}: use one that is, or "latchkey recovery use" if they are lost.`,
          exitCode,
        };
      return {
        message: `This key holds no passkey of an account here${accounts !== undefined && accounts > 1 ? `, and there are ${accounts} accounts` : ''}: name yours with --email E.`,
        exitCode,
      };
    default:
      return { message: error.message, exitCode };
  }
}

/** Runs one command line and returns the exit code; errors are printed as one plain sentence, never a stack trace. */
export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  // Out of the environment before anything else runs, so no child process inherits them.
  const secrets = takeEnvironmentSecrets(io.env ?? process.env);
  try {
    return await dispatch(argv, { ...io, secrets });
  } finally {
    secrets.dispose();
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = takeGlobalOptions(argv);
  } catch (error) {
    io.err(`latchkey: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const { globals, rest: words } = parsed;
  const [name] = words;
  if (!name) {
    // No command is a command line missing its main part: the usage on stderr and the usage error's code.
    help(io.err);
    return EXIT.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    help(io.out);
    return EXIT.ok;
  }
  if (name === 'version' || name === '--version') {
    io.out(version());
    return EXIT.ok;
  }
  const found = findCommand(words);
  if (!found) {
    const subcommands = [...commands.keys()]
      .filter((n) => n.startsWith(`${name} `))
      .map((n) => n.slice(name.length + 1));
    if (subcommands.length > 0 && (words[1] === '--help' || words[1] === '-h')) {
      groupHelp(name, io);
      return EXIT.ok;
    }
    if (subcommands.length > 0) {
      const given = words[1] === undefined ? 'needs a subcommand' : `has no subcommand "${words[1]}"`;
      io.err(`latchkey: "${name}" ${given}: ${subcommands.sort().join(', ')}. Run "latchkey help" for the list.`);
    } else {
      io.err(`latchkey: unknown command "${name}". Run "latchkey help" for the list.`);
    }
    return EXIT.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io, globals);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`latchkey ${found.name}: ${error.message}\nUsage: ${command.usage}`);
      return EXIT.usage;
    }
    const { message, exitCode } = describeFailure(error);
    io.err(`latchkey ${found.name}: ${message}`);
    return exitCode;
  }
}
