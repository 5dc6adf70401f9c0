// `latchkey entry list`: the vault's entries in list order (all, or one group's), without secrets.

import { parseCommandLine } from '../parseOptions.js';
import { entryKind, groupNames, table } from './formatEntry.js';
import { matchGroup } from './matchGroup.js';
import type { VaultCommand } from './VaultCommand.js';

export const entryList: VaultCommand = {
  summary: 'list the vault\u2019s 2FA entries, never their secrets (after signing in and unlocking)',
  usage: 'latchkey entry list [--email E] [--group G] [--json]',
  parse(args) {
    const { values } = parseCommandLine(args, { group: { type: 'string' }, json: { type: 'boolean' } }, []);
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const groups = vault.groups();
        const group = values.group === undefined ? undefined : matchGroup(groups, values.group);
        const entries = vault.entries().filter((e) => !group || e.groups.includes(group.id));
        const where = group ? ` in group ${group.name}` : '';
        const human =
          entries.length === 0
            ? [`No entries${where}. Add one with "latchkey entry add".`]
            : table([
                ['ID', 'SERVICE', 'ACCOUNT', 'TYPE', 'GROUPS'],
                ...entries.map((e) => [
                  e.id.slice(0, 8),
                  e.service,
                  e.account,
                  entryKind(e),
                  groupNames(e, groups).join(', '),
                ]),
              ]);
        print(human, { group: group ?? null, entries, groups });
        return 0;
      },
    };
  },
};
