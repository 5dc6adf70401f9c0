// `latchkey login [--email E] [--with-key]`: signs in as the app would (the account's sign-in mode) and says who and how.

import type { SignedIn } from '../../rp/index.js';
import { withSession } from '../cliSession.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

/** How the account signed in, as the end of "Signed in as alice@example.com ...". */
function how(signedIn: SignedIn): string {
  const key = signedIn.key ? `the key "${signedIn.key.display_name}"` : 'a security key';
  switch (signedIn.method) {
    case 'password':
      return signedIn.user.sign_in_mode === 'password-or-key'
        ? 'with the password alone (password-or-key)'
        : 'with the password alone (the account has no usable security key)';
    case 'password+key':
      return `with the password and ${key}`;
    case 'key':
      return `with ${key} alone (${signedIn.user.sign_in_mode})`;
    case 'recovery':
      return `with the recovery code and ${key}`;
  }
}

registerCommand('login', {
  summary:
    'sign in as the account\u2019s mode says: password and/or key, or key alone (--with-key: password-or-key by key)',
  usage: 'latchkey login [--email E] [--with-key] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, {
      email: { type: 'string' },
      'with-key': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    return withSession(globals, io, options.json === true, async (cli) => {
      const signedIn = await cli.signIn(options.email, { withKey: options['with-key'] === true });
      cli.print([`Signed in as ${signedIn.user.email} ${how(signedIn)}.`], {
        signedIn: {
          account: signedIn.user,
          method: signedIn.method,
          key: signedIn.key ?? null,
          warnings: signedIn.warnings,
        },
      });
      return 0;
    });
  },
});
