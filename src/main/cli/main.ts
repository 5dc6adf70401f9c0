// Entry point of the `latchkey` command line: parses the command and dispatches to one handler per command.

import { readFileSync } from 'node:fs';
import { ClientError, toClientError } from '../../ctap/errors.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CliCommand {
  /** One line for `latchkey help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const commands = new Map<string, CliCommand>();

/** Commands register themselves here (one file each under src/main/cli/commands/). */
export function registerCommand(name: string, command: CliCommand): void {
  commands.set(name, command);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(io: CliIo): void {
  io.out('Usage: latchkey <command> [options]\n\nCommands:');
  for (const [name, command] of [...commands].sort(([a], [b]) => a.localeCompare(b))) io.out(`  ${name.padEnd(16)} ${command.summary}`);
  io.out('  help             this list\n  version          the version of Latchkey');
}

const consoleIo: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** Runs one command line and returns the exit code; errors are printed as one plain sentence, never a stack trace. */
export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 1;
  }
  if (name === 'version' || name === '--version') {
    io.out(version());
    return 0;
  }
  const command = commands.get(name);
  if (!command) {
    io.err(`latchkey: unknown command "${name}". Run "latchkey help" for the list.`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const clientError = error instanceof ClientError ? error : toClientError(error);
    io.err(`latchkey ${name}: ${clientError.message}`);
    return 1;
  }
}
