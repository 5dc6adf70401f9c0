// The options every `latchkey` command takes (--data-dir, --virtual-key), anywhere on the command line before `--`.

import { UsageError } from './UsageError.js';

/** What the global options say; main.ts hands it to every command. */
export interface CliGlobals {
  /** --data-dir: the relying party's folder. @default defaultDataDir() (the OS's app data folder) */
  dataDir?: string;
  /** --virtual-key STATE: use an in-process virtual key whose state lives in this file, instead of real keys. */
  virtualKey?: string;
}

const GLOBAL_OPTIONS = { '--data-dir': 'dataDir', '--virtual-key': 'virtualKey' } as const satisfies Record<
  string,
  keyof CliGlobals
>;

export const GLOBAL_USAGE = '[--data-dir DIR] [--virtual-key STATE]';

/**
 * Takes the global options out of argv, before or after the command name (`latchkey --data-dir d key list` and
 * `latchkey key list --data-dir d` mean the same), so each command's own parser never sees them. Stops at `--`, after
 * which everything is a positional argument (a credential ID may start with a dash).
 */
export function takeGlobalOptions(argv: readonly string[]): { globals: CliGlobals; rest: string[] } {
  const globals: CliGlobals = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = splitInline(arg);
    const field = (GLOBAL_OPTIONS as Record<string, keyof CliGlobals | undefined>)[flag];
    if (field === undefined) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value: ${flag} ${field === 'dataDir' ? 'DIR' : 'STATE'}`);
    }
    if (globals[field] !== undefined) throw new UsageError(`${flag} is given twice`);
    globals[field] = value;
  }
  return { globals, rest };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq > 2 && arg.startsWith('--') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}
