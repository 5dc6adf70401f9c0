// `latchkey key revoke ID`: signs in, confirms (a TTY question or --yes), then revokes the key for good.

import { RelyingPartyError } from '../../rp/index.js';
import { withSession } from '../cliSession.js';
import { matchKeyId } from '../matchKeyId.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

registerCommand('key revoke', {
  summary: 'revoke one of the account\u2019s keys for good (asks first; --yes in scripts)',
  usage: 'latchkey key revoke [--yes] [--turn-off-webauthn-only] [--email E] [--json] [--] ID',
  async run(args, io, globals) {
    const optionConfig = {
      yes: { type: 'boolean' },
      'turn-off-webauthn-only': { type: 'boolean' },
      email: { type: 'string' },
      json: { type: 'boolean' },
    } as const;
    const { values, positionals } = parseCommandLine(args, optionConfig, ['ID']);
    const given = positionals[0]!;
    // Refused before any sign-in: a script without --yes must not get as far as asking for the password.
    if (values.yes !== true && !(io.interactive && io.prompt)) {
      throw new UsageError('revoking a key is permanent: confirm with --yes (no terminal to ask at)');
    }
    return withSession(globals, io, values.json === true, async (cli) => {
      const { user } = await cli.signIn(values.email);
      const keys = cli.session.listKeys();
      const credentialId = matchKeyId(keys, given);
      const key = keys.find((k) => k.id === credentialId);
      let outcome;
      try {
        outcome = await cli.session.revokeKey({
          credentialId,
          confirmed: values.yes === true,
          turnOffWebAuthnOnly: values['turn-off-webauthn-only'] === true,
        });
      } catch (error) {
        // The lock-out guard: the last key of a WebAuthn-only account goes only if WebAuthn-only goes too.
        if (
          !(error instanceof RelyingPartyError) ||
          error.reason !== 'lockout' ||
          values['turn-off-webauthn-only'] === true
        )
          throw error;
        throw new RelyingPartyError(
          'lockout',
          `revoking "${key?.display_name ?? given}" is refused: it is the last key of ${user.email}, which signs in with a security key alone (WebAuthn-only), so no way in would remain. Add --turn-off-webauthn-only to revoke it and sign in with the password again, or add another key first ("latchkey key add")`,
          { cause: error },
        );
      }
      if (outcome.status === 'declined') {
        io.err('Not revoked.');
        return 1;
      }
      const human = [
        `Revoked "${outcome.revoked.display_name}" (${outcome.revoked.id}): it can never sign in here again.`,
      ];
      if (outcome.webAuthnOnlyTurnedOff)
        human.push(`WebAuthn-only is off: ${user.email} signs in with the password, then a key once one is added.`);
      cli.print(human, { revoked: outcome.revoked, webAuthnOnlyTurnedOff: outcome.webAuthnOnlyTurnedOff });
      return 0;
    });
  },
});
