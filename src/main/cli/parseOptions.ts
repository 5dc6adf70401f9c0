// Command-line options through node:util's parseArgs, with mistakes reported as UsageError (exit code 2).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './registry.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parses `--name value` / `--flag` options; no positional arguments, no unknown options. */
export function parseOptions<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs explains itself well, but appends advice about positionals that does not apply here.
    throw new UsageError((error instanceof Error ? error.message : String(error)).replace(/\. To specify a positional.*$/s, '.'));
  }
}
