// `latchkey key rename ID NAME`: signs in, then gives one of the account's keys another name.

import { withSession } from '../cliSession.js';
import { matchKeyId } from '../matchKeyId.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { signIn } from '../signIn.js';

registerCommand('key rename', {
  summary: 'rename one of the account\u2019s keys (ID from "key list", or its first characters)',
  usage: 'latchkey key rename [--email E] [--json] [--] ID NAME',
  async run(args, io, globals) {
    const { values, positionals } = parseCommandLine(args, { email: { type: 'string' }, json: { type: 'boolean' } }, ['ID', 'NAME']);
    const [given, name] = positionals as [string, string];
    return withSession(globals, io, values.json === true, async (session) => {
      const { user } = await signIn(session, values.email);
      const credentialId = matchKeyId(session.rp.listKeys(user.id), given);
      const key = await session.rp.renameKey({ userId: user.id, credentialId, displayName: name });
      session.print([`Renamed: the key ${key.id} is now "${key.display_name}".`], { key });
      return 0;
    });
  },
});
