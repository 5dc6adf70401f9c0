// `latchkey key rename ID NAME`: signs in, then gives one of the account's keys another name.

import { withSession } from '../cliSession.js';
import { matchKeyId } from '../matchKeyId.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('key rename', {
  summary: 'rename one of the account\u2019s keys (ID from "key list", or its first characters)',
  usage: 'latchkey key rename [--email E] [--json] [--] ID NAME',
  async run(args, io, globals) {
    const { values, positionals } = parseCommandLine(args, { email: { type: 'string' }, json: { type: 'boolean' } }, [
      'ID',
      'NAME',
    ]);
    const [given, name] = positionals as [string, string];
    return withSession(globals, io, values.json === true, async (cli) => {
      await cli.signIn(values.email);
      const credentialId = matchKeyId(cli.session.listKeys(), given);
      const key = await cli.session.renameKey({ credentialId, displayName: name });
      cli.print([`Renamed: the key ${key.id} is now "${key.display_name}".`], { key });
      return 0;
    });
  },
});
