// `latchkey entry rm ID`: deletes an entry for good (asks first; --yes in scripts).

import { confirm } from '../confirm.js';
import { parseCommandLine } from '../parseOptions.js';
import { UsageError } from '../UsageError.js';
import { entryTitle } from './formatEntry.js';
import { matchEntry } from './matchEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const entryRemove: VaultCommand = {
  summary: 'delete one entry for good (asks first; --yes in scripts)',
  usage: 'latchkey entry rm [--email E] [--yes] [--json] [--] ID',
  parse(args, io) {
    const { values, positionals } = parseCommandLine(args, { yes: { type: 'boolean' }, json: { type: 'boolean' } }, [
      'ID',
    ]);
    if (values.yes !== true && !(io.interactive && io.prompt))
      throw new UsageError('deleting an entry is permanent: confirm with --yes (no terminal to ask at)');
    return {
      json: values.json === true,
      async run({ vault, io, print }) {
        const entry = matchEntry(vault.entries(), positionals[0]!);
        if (
          values.yes !== true &&
          !(await confirm(
            io,
            `Delete ${entryTitle(entry)} for good? Its codes can no longer be shown, unless the service gives you its secret again.`,
          ))
        ) {
          io.err('Not deleted.');
          return 1;
        }
        const removed = await vault.removeEntry(entry.id);
        print([`Deleted ${entryTitle(removed)}.`], { removed });
        return 0;
      },
    };
  },
};
