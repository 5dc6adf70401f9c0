// `latchkey entry add`: a new entry from an otpauth:// URI or from fields, its secret piped in, typed, or given.

import { parseCommandLine } from '../parseOptions.js';
import { UsageError } from '../UsageError.js';
import { ENTRY_FIELD_OPTIONS, ENTRY_FIELD_USAGE, entryFields, readEntrySecret, textOf } from './entryFieldOptions.js';
import { entryTitle, formatEntry } from './formatEntry.js';
import { matchGroup } from './matchGroup.js';
import { readStdin } from './readStdin.js';
import type { VaultCommand } from './VaultCommand.js';

/** Fields an otpauth URI already gives: with --uri they would contradict it. */
const URI_FIELDS = [
  'type',
  'service',
  'account',
  'secret',
  'secret-stdin',
  'digits',
  'algorithm',
  'period',
  'counter',
] as const;

export const entryAdd: VaultCommand = {
  summary: 'add a 2FA entry from an otpauth:// URI or from its fields (after signing in and unlocking)',
  usage: `latchkey entry add [--email E] [--json] [--group G]... [--allow-duplicate] (--uri URI|- [--note TEXT] | ${ENTRY_FIELD_USAGE})`,
  parse(args) {
    const { values } = parseCommandLine(
      args,
      {
        ...ENTRY_FIELD_OPTIONS,
        uri: { type: 'string' },
        group: { type: 'string', multiple: true },
        'allow-duplicate': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      [],
    );
    const fields = entryFields(values);
    if (values.uri !== undefined) {
      const clash = URI_FIELDS.find((name) => values[name] !== undefined);
      if (clash) throw new UsageError(`--uri gives the entry's fields: leave out --${clash}`);
    } else if (values.service === undefined) {
      throw new UsageError('--service is needed (or --uri with an otpauth:// URI)');
    }
    return {
      json: values.json === true,
      async run(context) {
        const { vault, io } = context;
        const groups = (values.group ?? []).map((g) => matchGroup(vault.groups(), g).id);
        let input: string | Record<string, unknown>;
        if (values.uri === undefined) {
          const secret = await readEntrySecret(values, context, { ask: true, service: values.service });
          input = { ...fields, secret };
        } else {
          input = values.uri === '-' ? textOf(await (context.readStdin ?? readStdin)()) : values.uri;
        }
        const extra = values.uri !== undefined && values.note !== undefined ? { note: values.note } : {};
        const added = await vault.addEntry(input, {
          groups,
          extra,
          allowDuplicate: values['allow-duplicate'] === true,
        });
        for (const { entry, reason } of added.duplicates)
          io.err(
            `Note: ${entryTitle(entry)} (${entry.id.slice(0, 8)}) ${reason === 'same-secret' ? 'holds the same secret' : 'has the same service and account'}.`,
          );
        context.print([`Added ${entryTitle(added.entry)}.`, '', ...formatEntry(added.entry, vault.groups())], {
          entry: added.entry,
          duplicates: added.duplicates.map((d) => ({ id: d.entry.id, reason: d.reason })),
        });
        return 0;
      },
    };
  },
};
