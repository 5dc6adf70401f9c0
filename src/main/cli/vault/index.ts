// The vault commands (`entry ...`, `code`, `group ...`) for the dispatcher to register behind sign-in and unlock.

import { code } from './code.js';
import { entryAdd } from './entryAdd.js';
import { withEntryErrorsAsUsage } from './entryErrorsAsUsage.js';
import { entryEdit } from './entryEdit.js';
import { entryList } from './entryList.js';
import { entryNext } from './entryNext.js';
import { entryRemove } from './entryRemove.js';
import { entryShow } from './entryShow.js';
import { groupAdd } from './groupAdd.js';
import { groupList } from './groupList.js';
import { groupAssign, groupUnassign } from './groupMembership.js';
import { groupRemove } from './groupRemove.js';
import { groupRename } from './groupRename.js';
import type { VaultCommand } from './VaultCommand.js';

export type { PreparedVaultCommand, VaultCommand, VaultCommandContext } from './VaultCommand.js';

/** Each command's refusals of a field value come out as UsageError (exit code 2, with the usage), naming the option. */
function checked(command: VaultCommand): VaultCommand {
  return {
    ...command,
    parse(args, io) {
      const prepared = command.parse(args, io);
      return { ...prepared, run: (context) => withEntryErrorsAsUsage(() => prepared.run(context)) };
    },
  };
}

export const VAULT_COMMANDS: ReadonlyMap<string, VaultCommand> = new Map(
  Object.entries({
    'entry add': entryAdd,
    'entry list': entryList,
    'entry show': entryShow,
    'entry edit': entryEdit,
    'entry rm': entryRemove,
    'entry next': entryNext,
    code,
    'group list': groupList,
    'group add': groupAdd,
    'group rename': groupRename,
    'group rm': groupRemove,
    'group assign': groupAssign,
    'group unassign': groupUnassign,
  }).map(([name, command]) => [name, checked(command)]),
);
