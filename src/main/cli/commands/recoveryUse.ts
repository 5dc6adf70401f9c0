// `latchkey recovery use`: the password, the recovery code and a new key replace every other key; the new code is shown once.

import { withSession } from '../cliSession.js';
import { formatKey } from '../formatKey.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

registerCommand('recovery use', {
  summary: 'lost your keys? the password and the recovery code register a new key and revoke all others',
  usage: 'latchkey recovery use [--email E] [--name N] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, {
      email: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    return withSession(globals, io, options.json === true, async (cli) => {
      const { signedIn, revoked, recoveryCode } = await cli.session.recover({
        ...(options.email === undefined ? {} : { email: options.email }),
        ...(options.name === undefined ? {} : { displayName: options.name }),
      });
      const key = signedIn.key!;
      cli.print(
        [
          `${signedIn.user.email} is recovered. New key:`,
          ...formatKey(key),
          '',
          revoked.length === 0
            ? 'No other key was registered.'
            : `Revoked for good: ${revoked.map((r) => `"${r.display_name}"`).join(', ')}.`,
          `Sign-in mode: ${signedIn.user.sign_in_mode} (the password stays a way in; change it with "latchkey settings set sign-in MODE").`,
          '',
          `New recovery code: ${recoveryCode}`,
          '',
          'The old code no longer works. Write this one down: it is shown only this once.',
        ],
        { account: signedIn.user, key, revoked, recoveryCode },
      );
      return 0;
    });
  },
});
