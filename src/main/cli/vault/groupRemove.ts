// `latchkey group rm GROUP`: deletes a group; its entries stay, out of it.

import { parseCommandLine } from '../parseOptions.js';
import { matchGroup } from './matchGroup.js';
import type { VaultCommand } from './VaultCommand.js';

export const groupRemove: VaultCommand = {
  summary: 'delete a group; its entries stay in the vault',
  usage: 'latchkey group rm [--email E] [--json] [--] GROUP',
  parse(args) {
    const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } }, ['GROUP']);
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const { group, entries } = await vault.deleteGroup(matchGroup(vault.groups(), positionals[0]!).id);
        const kept =
          entries === 0 ? 'it held no entries' : `its ${entries === 1 ? 'entry stays' : `${entries} entries stay`}`;
        print([`Deleted group ${group.name}; ${kept}.`], { group, entries });
        return 0;
      },
    };
  },
};
