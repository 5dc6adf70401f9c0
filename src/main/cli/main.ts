// Entry point of the `latchkey` command line: parses the command and dispatches to one handler per command.

import { readFileSync } from 'node:fs';
import { ClientError, toClientError } from '../../ctap/index.js';
import { DamagedStoreError } from '../store/DamagedStoreError.js';
import { FileLockTimeoutError } from '../store/fileLock.js';
import { RelyingPartyError } from '../rp/RelyingPartyError.js';
import './commands/index.js';
import { GLOBAL_USAGE, takeGlobalOptions } from './globalOptions.js';
import { commands, UsageError, type CliCommand, type CliIo } from './registry.js';
import { terminalPrompt } from './terminalPrompt.js';

export { registerCommand, UsageError, type CliCommand, type CliIo } from './registry.js';

/** Exit codes (docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, damaged: 4 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(io: CliIo): void {
  io.out(`Usage: latchkey ${GLOBAL_USAGE} <command> [options]\n\nCommands:`);
  for (const [name, command] of [...commands].sort(([a], [b]) => a.localeCompare(b))) io.out(`  ${name.padEnd(16)} ${command.summary}`);
  io.out('  help             this list\n  version          the version of Latchkey');
  io.out(`\nEvery command takes ${GLOBAL_USAGE}: the data folder (default: the OS's app data folder), and a virtual demo key kept in STATE instead of real keys.`);
}

const consoleIo: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  interactive: process.stdin.isTTY === true,
  ...(process.stdin.isTTY === true ? { prompt: (question: string, options: { hidden: boolean }) => terminalPrompt(question, options) } : {}),
};

/** The command for `words`: a two-word command (`key add`) first, then a one-word one. */
function findCommand(words: readonly string[]): { name: string; command: CliCommand; rest: string[] } | undefined {
  const [first, second] = words;
  for (const name of [`${first} ${second}`, first]) {
    const command = name === undefined ? undefined : commands.get(name);
    if (command && name) return { name, command, rest: words.slice(name.split(' ').length) };
  }
  return undefined;
}

/** Turns a failure into its one-sentence message and exit code: the one place that decides what a user is told. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof RelyingPartyError) return { message: error.message, exitCode: EXIT.refused };
  if (error instanceof DamagedStoreError) return { message: error.message, exitCode: EXIT.damaged };
  if (error instanceof FileLockTimeoutError) return { message: error.message, exitCode: EXIT.failed };
  const clientError = error instanceof ClientError ? error : toClientError(error);
  return { message: clientError.message, exitCode: EXIT.failed };
}

/** Runs one command line and returns the exit code; errors are printed as one plain sentence, never a stack trace. */
export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  let parsed;
  try {
    parsed = takeGlobalOptions(argv);
  } catch (error) {
    io.err(`latchkey: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const { globals, rest: words } = parsed;
  const [name] = words;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? EXIT.ok : EXIT.failed;
  }
  if (name === 'version' || name === '--version') {
    io.out(version());
    return EXIT.ok;
  }
  const found = findCommand(words);
  if (!found) {
    const subcommands = [...commands.keys()].filter((n) => n.startsWith(`${name} `)).map((n) => n.slice(name.length + 1));
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
