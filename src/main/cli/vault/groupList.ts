// `latchkey group list`: the vault's groups by name, with how many entries each holds.

import { parseCommandLine } from '../parseOptions.js';
import { table } from './formatEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const groupList: VaultCommand = {
  summary: 'list the groups of entries',
  usage: 'latchkey group list [--email E] [--json]',
  parse(args) {
    const { values } = parseCommandLine(args, { json: { type: 'boolean' } }, []);
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const entries = vault.entries();
        const groups = vault.groups().map((group) => ({
          ...group,
          entry_count: entries.filter((e) => e.groups.includes(group.id)).length,
        }));
        const human =
          groups.length === 0
            ? ['No groups. Make one with "latchkey group add NAME".']
            : table([
                ['ID', 'NAME', 'ENTRIES'],
                ...groups.map((g) => [g.id.slice(0, 8), g.name, String(g.entry_count)]),
              ]);
        print(human, { groups });
        return 0;
      },
    };
  },
};
