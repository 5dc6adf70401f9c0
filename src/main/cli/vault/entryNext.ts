// `latchkey entry next ID`: the next code of an HOTP entry, shown only once its advanced counter is on disk.

import { parseCommandLine } from '../parseOptions.js';
import { UsageError } from '../UsageError.js';
import { entryTitle } from './formatEntry.js';
import { matchEntry } from './matchEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const entryNext: VaultCommand = {
  summary: 'the next code of an HOTP (counter-based) entry; each run spends one code',
  usage: 'latchkey entry next [--email E] [--json] [--] ID',
  parse(args) {
    const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } }, ['ID']);
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const entry = matchEntry(vault.entries(), positionals[0]!);
        if (entry.otp_type !== 'hotp')
          throw new UsageError(
            `${entryTitle(entry)} is a ${entry.otp_type} entry, which has a code at every moment: see "latchkey code"`,
          );
        const next = await vault.nextHotp(entry.id);
        print([`${next.code}  ${entryTitle(next.entry)}, counter ${next.usedCounter}`], {
          entry: next.entry,
          code: next.code,
          counter: next.usedCounter,
        });
        return 0;
      },
    };
  },
};
