// Command-line options through node:util's parseArgs, with mistakes reported as UsageError (exit code 2).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './UsageError.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parses `--name value` / `--flag` options; no positional arguments, no unknown options. */
/** parseArgs's explanation as one sentence: its advice about positionals does not apply, its ambiguity note is three lines. */
function usageError(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const ambiguous = /^Option '(-[^' ]+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const option = ambiguous[1]!;
    return new UsageError(
      `${option} needs a value, and the next word is another option (a value that starts with a dash is written ${option}=-value)`,
    );
  }
  return new UsageError(message.replace(/\. To specify a positional.*$/s, '.'));
}

export function parseOptions<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageError(error);
  }
}

/**
 * Options plus exactly the positional arguments named in `names` (e.g. ['ID', 'NAME']), in that order. A value that
 * starts with a dash (a credential ID may) goes after `--`.
 */
export function parseCommandLine<const O extends OptionsConfig>(args: string[], options: O, names: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== names.length) {
    const expected = names.length === 0 ? 'no arguments' : names.join(' ');
    throw new UsageError(
      `expected ${expected}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`,
    );
  }
  return { values, positionals };
}

/** Options plus any number of positional arguments, at most `most` (files to import, a backup number). */
export function parseOptionsAndArguments<const O extends OptionsConfig>(args: string[], options: O, most = Infinity) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(error);
  }
  if (parsed.positionals.length > most)
    throw new UsageError(
      `expected at most ${most} argument${most === 1 ? '' : 's'}, got ${parsed.positionals.map((p) => JSON.stringify(p.slice(0, 40))).join(' ')}`,
    );
  return parsed;
}
