// The table of `latchkey` commands: each command file registers itself here, main.ts dispatches from it.

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A person can answer prompts (touch a key, press Ctrl+C); false for pipes, scripts and tests. @default false */
  interactive?: boolean;
}

export interface CliCommand {
  /** One line for `latchkey help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export const commands = new Map<string, CliCommand>();

/** Commands register themselves here (one file each under src/main/cli/commands/). */
export function registerCommand(name: string, command: CliCommand): void {
  commands.set(name, command);
}

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
