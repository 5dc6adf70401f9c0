// `latchkey group assign GROUP ID` and `group unassign GROUP ID`: puts an entry in a group or takes it out.

import { parseCommandLine } from '../parseOptions.js';
import { entryTitle } from './formatEntry.js';
import { matchEntry } from './matchEntry.js';
import { matchGroup } from './matchGroup.js';
import type { VaultCommand } from './VaultCommand.js';

function membershipCommand(assign: boolean): VaultCommand {
  const verb = assign ? 'assign' : 'unassign';
  return {
    summary: assign ? 'put an entry in a group' : 'take an entry out of a group (the entry stays in the vault)',
    usage: `latchkey group ${verb} [--email E] [--json] [--] GROUP ID`,
    parse(args) {
      const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } }, ['GROUP', 'ID']);
      const [givenGroup, givenEntry] = positionals as [string, string];
      return {
        json: values.json === true,
        async run({ vault, print }) {
          const group = matchGroup(vault.groups(), givenGroup);
          const entry = matchEntry(vault.entries(), givenEntry);
          const was = entry.groups.includes(group.id);
          const changed = assign
            ? await vault.assignGroup(entry.id, group.id)
            : await vault.unassignGroup(entry.id, group.id);
          const line = assign
            ? `${entryTitle(entry)} ${was ? 'was already' : 'is now'} in group ${group.name}.`
            : `${entryTitle(entry)} ${was ? 'is no longer' : 'was not'} in group ${group.name}.`;
          print([line], { entry: changed, group });
          return 0;
        },
      };
    },
  };
}

export const groupAssign = membershipCommand(true);
export const groupUnassign = membershipCommand(false);
