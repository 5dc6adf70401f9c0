// Entry point of the `latchkey` command line: parses the command and dispatches to one handler per command.

import { readFileSync } from 'node:fs';
import { ClientError, toClientError } from '../../ctap/errors.js';
import './commands/index.js';
import { commands, UsageError, type CliIo } from './registry.js';

export { registerCommand, UsageError, type CliCommand, type CliIo } from './registry.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(io: CliIo): void {
  io.out('Usage: latchkey <command> [options]\n\nCommands:');
  for (const [name, command] of [...commands].sort(([a], [b]) => a.localeCompare(b))) io.out(`  ${name.padEnd(16)} ${command.summary}`);
  io.out('  help             this list\n  version          the version of Latchkey');
}

const consoleIo: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  interactive: process.stdin.isTTY === true,
};

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
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`latchkey ${name}: ${error.message}\nUsage: ${command.usage}`);
      return 2;
    }
    const clientError = error instanceof ClientError ? error : toClientError(error);
    io.err(`latchkey ${name}: ${clientError.message}`);
    return 1;
  }
}
