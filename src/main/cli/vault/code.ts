// `latchkey code [QUERY]`: the current codes of the time-based entries matching QUERY, with the seconds each has left.

import type { EntryCode } from '../../services/vault/index.js';
import { parseArgs } from 'node:util';
import { UsageError } from '../UsageError.js';
import { entryTitle, table } from './formatEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const code: VaultCommand = {
  summary: 'show the current codes (all, or those whose service, account or group matches QUERY)',
  usage: 'latchkey code [--email E] [--json] [QUERY...]',
  parse(args) {
    // The query is every word after the options, so `latchkey code github work` needs no quotes.
    const { values, positionals } = parseWords(args);
    const query = positionals.join(' ');
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const codes = vault.codes(query);
        const human =
          codes.length === 0
            ? [query ? `No entry matches "${query}".` : 'No entries. Add one with "latchkey entry add".']
            : table(codes.map(codeRow));
        print(human, { query, codes: codes.map(codeJson) });
        return 0;
      },
    };
  },
};

/** `--json` and any number of words; parseCommandLine wants a fixed count of positionals. */
function parseWords(args: string[]) {
  try {
    return parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

function codeRow({ entry, code, problem }: EntryCode): string[] {
  const title = entryTitle(entry);
  if (code) return [code.code, title, `${code.secondsLeft}s`];
  if (entry.otp_type === 'hotp') return ['-', title, `hotp: latchkey entry next ${entry.id.slice(0, 8)}`];
  return ['-', title, problem ?? 'no code'];
}

function codeJson({ entry, code, problem }: EntryCode) {
  return {
    id: entry.id,
    service: entry.service,
    account: entry.account,
    otp_type: entry.otp_type,
    code: code?.code ?? null,
    period: code?.period ?? null,
    seconds_left: code?.secondsLeft ?? null,
    problem,
  };
}
