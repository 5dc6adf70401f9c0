// `latchkey group rename GROUP NAME`: another name for a group (GROUP is its name or id).

import { parseCommandLine } from '../parseOptions.js';
import { matchGroup } from './matchGroup.js';
import type { VaultCommand } from './VaultCommand.js';

export const groupRename: VaultCommand = {
  summary: 'rename a group (GROUP: its name, its id or the id\u2019s first characters)',
  usage: 'latchkey group rename [--email E] [--json] [--] GROUP NAME',
  parse(args) {
    const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } }, ['GROUP', 'NAME']);
    const [given, name] = positionals as [string, string];
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const old = matchGroup(vault.groups(), given);
        const group = await vault.renameGroup(old.id, name);
        print([`Renamed group ${old.name} to ${group.name}.`], { group });
        return 0;
      },
    };
  },
};
