// The table of `latchkey` commands: each command file registers itself here, main.ts dispatches from it.

import type { EnvironmentSecrets } from './environmentSecrets.js';
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
  /** Where LATCHKEY_PASSWORD, LATCHKEY_PIN and LATCHKEY_RECOVERY_CODE are taken from (and removed). @default process.env */
  env?: Record<string, string | undefined>;
  /** Set by main() for the commands: the LATCHKEY_* secrets taken from `env`. */
  secrets?: EnvironmentSecrets;
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
