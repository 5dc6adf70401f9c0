// `latchkey group add NAME`: a new, empty group.

import { parseCommandLine } from '../parseOptions.js';
import type { VaultCommand } from './VaultCommand.js';

export const groupAdd: VaultCommand = {
  summary: 'make a group of entries (put entries in it with "group assign")',
  usage: 'latchkey group add [--email E] [--json] [--] NAME',
  parse(args) {
    const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } }, ['NAME']);
    return {
      json: values.json === true,
      async run({ vault, print }) {
        const group = await vault.createGroup(positionals[0]!);
        print([`Made group ${group.name} (${group.id.slice(0, 8)}).`], { group });
        return 0;
      },
    };
  },
};
