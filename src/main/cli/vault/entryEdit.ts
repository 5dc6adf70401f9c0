// `latchkey entry edit ID`: changes the fields given; the others, the secret included, keep their value.

import { parseCommandLine } from '../parseOptions.js';
import { UsageError } from '../UsageError.js';
import { ENTRY_FIELD_OPTIONS, ENTRY_FIELD_USAGE, entryFields, readEntrySecret } from './entryFieldOptions.js';
import { entryTitle, formatEntry } from './formatEntry.js';
import { matchEntry } from './matchEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const entryEdit: VaultCommand = {
  summary: 'change fields of one entry (after signing in and unlocking)',
  usage: `latchkey entry edit [--email E] [--json] ${ENTRY_FIELD_USAGE} [--] ID`,
  parse(args) {
    const { values, positionals } = parseCommandLine(args, { ...ENTRY_FIELD_OPTIONS, json: { type: 'boolean' } }, [
      'ID',
    ]);
    const fields = entryFields(values);
    if (Object.keys(fields).length === 0 && values.secret === undefined && values['secret-stdin'] !== true)
      throw new UsageError('nothing to change: give at least one field option');
    return {
      json: values.json === true,
      async run(context) {
        const { vault, print } = context;
        const entry = matchEntry(vault.entries(), positionals[0]!);
        const secret = await readEntrySecret(values, context, { ask: false });
        const edited = await vault.editEntry(entry.id, secret === undefined ? fields : { ...fields, secret });
        print([`Changed ${entryTitle(edited)}.`, '', ...formatEntry(edited, vault.groups())], { entry: edited });
        return 0;
      },
    };
  },
};
