// The table of `latchkey` commands: each command file registers itself here, main.ts dispatches from it.

import type { CliGlobals } from './globalOptions.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A person can answer prompts (touch a key, press Ctrl+C); false for pipes, scripts and tests. @default false */
  interactive?: boolean;
  /**
   * Asks the person at the terminal a question and resolves with the line typed (hidden: not echoed), or undefined
   * when they cancel (Ctrl+C, Ctrl+D). The caller zeroes the bytes. Absent: nobody can answer (scripts, tests).
   */
  prompt?: (question: string, options: { hidden: boolean }) => Promise<Buffer | undefined>;
}

export interface CliCommand {
  /** One line for `latchkey help`. */
  summary: string;
  usage: string;
  /** `globals` are the options every command takes (--data-dir, --virtual-key), already taken out of `args`. */
  run(args: string[], io: CliIo, globals: CliGlobals): Promise<number>;
}

export const commands = new Map<string, CliCommand>();

/** Commands register themselves here (one file each under src/main/cli/commands/); a name may be two words (`key add`). */
export function registerCommand(name: string, command: CliCommand): void {
  commands.set(name, command);
}

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
