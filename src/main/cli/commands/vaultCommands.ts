// Registers the vault commands (`entry ...`, `code`, `group ...`): each signs in, which opens the vault, then runs.

import { withSession } from '../cliSession.js';
import { registerCommand } from '../registry.js';
import { VAULT_COMMANDS } from '../vault/index.js';

for (const [name, command] of VAULT_COMMANDS) {
  registerCommand(name, {
    summary: command.summary,
    usage: command.usage,
    async run(args, io, globals) {
      // Parsed before anyone signs in: a wrong option never costs a password or a touch.
      const prepared = command.parse(args, io);
      return withSession(globals, io, prepared.json, async (cli) => {
        await cli.signIn(prepared.email);
        const vault = await cli.session.vault();
        const code = await prepared.run({
          vault,
          io,
          print: (human, body) => cli.print(human, body),
          reauthenticate: () => cli.session.reauthenticate(),
        });
        await vault.settled();
        return code;
      });
    },
  });
}
