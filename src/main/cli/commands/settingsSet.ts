// `latchkey settings set uv|webauthn-only VALUE`: the user verification policy, or the account's passwordless mode.

import { USER_VERIFICATION_POLICIES, type RpSettingsView, type UserVerificationPolicy } from '../../rp/index.js';
import { withSession, type CliSession } from '../cliSession.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

const ON_OFF = ['on', 'off'] as const;

registerCommand('settings set', {
  summary: 'set the user verification policy (uv) or the account\u2019s WebAuthn-only mode (after signing in)',
  usage: `latchkey settings set [--email E] [--json] uv ${USER_VERIFICATION_POLICIES.join('|')} | webauthn-only ${ON_OFF.join('|')}`,
  async run(args, io, globals) {
    const { values, positionals } = parseCommandLine(args, { email: { type: 'string' }, json: { type: 'boolean' } }, ['SETTING', 'VALUE']);
    const [setting, value] = positionals as [string, string];
    if (setting === 'uv') {
      if (!(USER_VERIFICATION_POLICIES as readonly string[]).includes(value)) throw new UsageError(`uv "${value}" is not one of ${USER_VERIFICATION_POLICIES.join(', ')}`);
      return withSession(globals, io, values.json === true, (session) => setUv(session, value as UserVerificationPolicy, values.email));
    }
    if (setting === 'webauthn-only') {
      if (!(ON_OFF as readonly string[]).includes(value)) throw new UsageError(`webauthn-only "${value}" is not one of on, off`);
      return withSession(globals, io, values.json === true, async (cli) => {
        await cli.signIn(values.email);
        const account = await cli.session.setWebAuthnOnly(value === 'on');
        const human =
          value === 'on'
            ? [`WebAuthn-only is on: ${account.email} signs in with a security key alone, no password.`]
            : [`WebAuthn-only is off: ${account.email} signs in with the password, then a security key.`];
        cli.print(human, { account, settings: cli.session.rp.settings() });
        return 0;
      });
    }
    throw new UsageError(`there is no setting "${setting}": the settings are uv and webauthn-only`);
  },
});

/** The policy is the data folder's, not one account's, but changing it still needs a signed-in account when any exists. */
async function setUv(cli: CliSession, policy: UserVerificationPolicy, email: string | undefined): Promise<number> {
  const account = cli.session.rp.accounts().length === 0 ? null : (await cli.signIn(email)).user;
  const settings = await cli.session.setUserVerification(policy);
  cli.print([`User verification: ${settings.user_verification}.`, ...overrideNote(settings)], { account, settings });
  return 0;
}

/** WEBAUTHN_USER_VERIFICATION in the environment or the data folder's .env wins over the stored setting: say so. */
function overrideNote(settings: RpSettingsView): string[] {
  const effective = settings.effective_user_verification;
  if (effective.source === 'settings') return [];
  const where = effective.source === 'environment' ? 'the environment variable WEBAUTHN_USER_VERIFICATION' : 'WEBAUTHN_USER_VERIFICATION in the data folder\u2019s .env';
  return [`In force: ${effective.policy}, from ${where}, which overrides the setting.`];
}
