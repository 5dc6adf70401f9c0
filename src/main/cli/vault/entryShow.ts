// `latchkey entry show ID [--reveal]`: one entry's fields; its secret and otpauth URI only when asked and confirmed.

import { confirm } from '../confirm.js';
import { parseCommandLine } from '../parseOptions.js';
import { UsageError } from '../UsageError.js';
import { entryTitle, formatEntry } from './formatEntry.js';
import { matchEntry } from './matchEntry.js';
import type { VaultCommand } from './VaultCommand.js';

export const entryShow: VaultCommand = {
  summary: 'show one entry; --reveal adds its secret and otpauth:// URI (asks first; --yes in scripts)',
  usage: 'latchkey entry show [--email E] [--reveal [--yes]] [--json] [--] ID',
  parse(args, io) {
    const { values, positionals } = parseCommandLine(
      args,
      { reveal: { type: 'boolean' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
      ['ID'],
    );
    const reveal = values.reveal === true;
    if (values.yes === true && !reveal) throw new UsageError('--yes confirms --reveal, which is not given');
    // Refused before any sign-in: a script without --yes must not get as far as asking for the password.
    if (reveal && values.yes !== true && !(io.interactive && io.prompt))
      throw new UsageError('--reveal shows the secret: confirm with --yes (no terminal to ask at)');
    return {
      json: values.json === true,
      async run({ vault, io, print, reauthenticate }) {
        const entry = matchEntry(vault.entries(), positionals[0]!);
        const human = formatEntry(entry, vault.groups());
        if (!reveal) {
          print(human, { entry });
          return 0;
        }
        if (
          values.yes !== true &&
          !(await confirm(io, `Show the secret of ${entryTitle(entry)} on this screen (anyone watching can copy it)?`))
        ) {
          io.err('Not shown.');
          return 1;
        }
        // A secret leaving the vault asks again who is there (the password, or a key's touch), as the app does.
        await reauthenticate?.();
        const { secret, uri } = vault.revealSecret(entry.id);
        print([...human, `  secret     ${secret}`, `  uri        ${uri}`], { entry: { ...entry, secret }, uri });
        return 0;
      },
    };
  },
};
