// `latchkey login [--email E]`: signs in as the app would (password then key, or key alone) and says who and how.

import type { SignedIn } from '../../rp/index.js';
import { withSession } from '../cliSession.js';
import { parseOptions } from '../parseOptions.js';
import { registerCommand } from '../registry.js';

/** How the account signed in, as the end of "Signed in as alice@example.com ...". */
function how(signedIn: SignedIn): string {
  const key = signedIn.key ? `the key "${signedIn.key.display_name}"` : 'a security key';
  switch (signedIn.method) {
    case 'password':
      return 'with the password alone (the account has no usable security key)';
    case 'password+key':
      return `with the password and ${key}`;
    case 'key':
      return `with ${key} alone (WebAuthn-only)`;
    case 'recovery':
      return `with the recovery code and ${key}`;
  }
}

registerCommand('login', {
  summary: 'sign in: password then key, or key alone for WebAuthn-only accounts',
  usage: 'latchkey login [--email E] [--json]',
  async run(args, io, globals) {
    const options = parseOptions(args, { email: { type: 'string' }, json: { type: 'boolean' } });
    return withSession(globals, io, options.json === true, async (cli) => {
      const signedIn = await cli.signIn(options.email);
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
