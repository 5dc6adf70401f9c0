// Reads KEY=VALUE lines of a `.env` file (2FAuth's configuration file format) without a dependency.

import { ConfigError } from './ConfigError.js';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * The variables a `.env` text sets. Blank lines and `#` comments are skipped; `export ` is allowed; a value may be
 * quoted with ' or " (quotes removed) or bare (a ` #` starts a trailing comment). The last assignment of a name wins.
 * A line that is none of these throws a ConfigError naming its number, never its text: a 2FAuth .env holds
 * secrets such as APP_KEY.
 */
export function parseDotEnv(text: string, source = '.env'): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (!match) throw new ConfigError(source, index + 1, `${source} line ${index + 1} is not a KEY=VALUE assignment`);
    vars.set(match[1]!, unquote(match[2]!));
  });
  return vars;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2) {
    const end = value.indexOf(quote, 1);
    if (end > 0) return value.slice(1, end);
  }
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}
