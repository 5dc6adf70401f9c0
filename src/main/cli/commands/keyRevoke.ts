// `latchkey key revoke ID`: signs in, confirms (a TTY question or --yes), then revokes the key for good.

import { confirm } from '../confirm.js';
import { withSession } from '../cliSession.js';
import { matchKeyId } from '../matchKeyId.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand, UsageError } from '../registry.js';
import { RelyingPartyError } from '../../rp/index.js';
import { signIn } from '../signIn.js';

registerCommand('key revoke', {
  summary: 'revoke one of the account\u2019s keys for good (asks first; --yes in scripts)',
  usage: 'latchkey key revoke [--yes] [--turn-off-webauthn-only] [--email E] [--json] [--] ID',
  async run(args, io, globals) {
    const optionConfig = { yes: { type: 'boolean' }, 'turn-off-webauthn-only': { type: 'boolean' }, email: { type: 'string' }, json: { type: 'boolean' } } as const;
    const { values, positionals } = parseCommandLine(args, optionConfig, ['ID']);
    const given = positionals[0]!;
    // Refused before any sign-in: a script without --yes must not get as far as asking for the password.
    if (values.yes !== true && !(io.interactive && io.prompt)) {
      throw new UsageError('revoking a key is permanent: confirm with --yes (no terminal to ask at)');
    }
    return withSession(globals, io, values.json === true, async (session) => {
      const { rp } = session;
      const { user } = await signIn(session, values.email);
      const keys = rp.listKeys(user.id);
      const credentialId = matchKeyId(keys, given);
      const key = keys.find((k) => k.id === credentialId);
      let turnOffWebAuthnOnly = values['turn-off-webauthn-only'] === true;
      if (values.yes !== true && key) {
        const agreed = await confirm(io, `Revoke "${key.display_name}" (${key.id}) for good? It can never sign in to ${user.email} again.`);
        if (!agreed) {
          io.err('Not revoked.');
          return 1;
        }
      }
      let result;
      try {
        result = await rp.revokeKey({ userId: user.id, credentialId, confirm: true, turnOffWebAuthnOnly });
      } catch (error) {
        // The lock-out guard: the last key of a WebAuthn-only account goes only if WebAuthn-only goes too.
        if (!(error instanceof RelyingPartyError) || error.reason !== 'lockout' || turnOffWebAuthnOnly || user.sign_in_mode !== 'key-only') throw error;
        const question = `"${key?.display_name ?? given}" is the last key of ${user.email}, which signs in with a key alone. Turn WebAuthn-only off (sign in with the password, then a key) and revoke it?`;
        if (values.yes === true || !(await confirm(io, question))) {
          throw new RelyingPartyError(
            'lockout',
            `revoking "${key?.display_name ?? given}" is refused: it is the last key of ${user.email}, which signs in with a security key alone (WebAuthn-only), so no way in would remain. Add --turn-off-webauthn-only to revoke it and sign in with the password again, or add another key first ("latchkey key add")`,
            { cause: error },
          );
        }
        turnOffWebAuthnOnly = true;
        result = await rp.revokeKey({ userId: user.id, credentialId, confirm: true, turnOffWebAuthnOnly });
      }
      const human = [`Revoked "${result.revoked.display_name}" (${result.revoked.id}): it can never sign in here again.`];
      if (result.webAuthnOnlyTurnedOff) human.push(`WebAuthn-only is off: ${user.email} signs in with the password, then a key once one is added.`);
      session.print(human, { revoked: result.revoked, webAuthnOnlyTurnedOff: result.webAuthnOnlyTurnedOff });
      return 0;
    });
  },
});
