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
import { UsageError } from '../UsageError.js';

export type { PreparedVaultCommand, VaultCommand, VaultCommandContext } from './VaultCommand.js';

/**
 * Every vault command takes `--email E` (whose vault: the account to sign in), taken out here for the caller; and each
 * command's refusals of a field value come out as UsageError (exit code 2, with the usage), naming the option.
 */
function checked(command: VaultCommand): VaultCommand {
  return {
    ...command,
    parse(args, io) {
      const { email, rest } = takeEmail(args);
      const prepared = command.parse(rest, io);
      return {
        ...prepared,
        ...(email === undefined ? {} : { email }),
        run: (context) => withEntryErrorsAsUsage(() => prepared.run(context)),
      };
    },
  };
}

/** `--email E` or `--email=E` anywhere before `--`. */
function takeEmail(args: readonly string[]): { email?: string; rest: string[] } {
  const rest: string[] = [];
  let email: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg !== '--email' && !arg.startsWith('--email=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--email' ? args[++i] : arg.slice('--email='.length);
    if (value === undefined || value === '' || (arg === '--email' && value.startsWith('--')))
      throw new UsageError('--email needs a value: --email E');
    if (email !== undefined) throw new UsageError('--email is given twice');
    email = value;
  }
  return { ...(email === undefined ? {} : { email }), rest };
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
