// `latchkey settings set uv|sign-in|webauthn-only VALUE`: the user verification policy, or the account's sign-in mode.

import {
  SIGN_IN_MODE_EXPLANATIONS,
  SIGN_IN_MODES,
  USER_VERIFICATION_POLICIES,
  type AccountSummary,
  type RpSettingsView,
  type SignInMode,
  type UserVerificationPolicy,
} from '../../rp/index.js';
import { withSession, type CliSession } from '../cliSession.js';
import { parseCommandLine } from '../parseOptions.js';
import { registerCommand } from '../registry.js';
import { UsageError } from '../UsageError.js';

const ON_OFF = ['on', 'off'] as const;

const MODE_HELP = SIGN_IN_MODES.map((mode) => `  ${mode.padEnd(17)} ${SIGN_IN_MODE_EXPLANATIONS[mode]}`).join('\n');

registerCommand('settings set', {
  summary: 'set the user verification policy (uv) or the account\u2019s sign-in mode (after signing in)',
  usage: [
    `latchkey settings set [--email E] [--json] uv ${USER_VERIFICATION_POLICIES.join('|')} | sign-in ${SIGN_IN_MODES.join('|')} | webauthn-only ${ON_OFF.join('|')}`,
    '',
    'Sign-in modes (a key alone always needs its PIN or fingerprint):',
    MODE_HELP,
    'webauthn-only on|off is key-only|password-and-key.',
  ].join('\n'),
  async run(args, io, globals) {
    const { values, positionals } = parseCommandLine(args, { email: { type: 'string' }, json: { type: 'boolean' } }, [
      'SETTING',
      'VALUE',
    ]);
    const [setting, value] = positionals as [string, string];
    if (setting === 'uv') {
      if (!(USER_VERIFICATION_POLICIES as readonly string[]).includes(value))
        throw new UsageError(`uv "${value}" is not one of ${USER_VERIFICATION_POLICIES.join(', ')}`);
      return withSession(globals, io, values.json === true, (session) =>
        setUv(session, value as UserVerificationPolicy, values.email),
      );
    }
    if (setting === 'sign-in') {
      if (!(SIGN_IN_MODES as readonly string[]).includes(value))
        throw new UsageError(`sign-in "${value}" is not one of ${SIGN_IN_MODES.join(', ')}:\n${MODE_HELP}`);
      return withSession(globals, io, values.json === true, (session) =>
        setMode(session, value as SignInMode, values.email),
      );
    }
    if (setting === 'webauthn-only') {
      if (!(ON_OFF as readonly string[]).includes(value))
        throw new UsageError(`webauthn-only "${value}" is not one of on, off`);
      return withSession(globals, io, values.json === true, (session) =>
        setMode(session, value === 'on' ? 'key-only' : 'password-and-key', values.email),
      );
    }
    throw new UsageError(`there is no setting "${setting}": the settings are uv, sign-in and webauthn-only`);
  },
});

async function setMode(cli: CliSession, mode: SignInMode, email: string | undefined): Promise<number> {
  await cli.signIn(email);
  const account: AccountSummary = await cli.session.setSignInMode(mode);
  cli.print([`Sign-in mode of ${account.email}: ${mode}: ${SIGN_IN_MODE_EXPLANATIONS[mode]}.`], {
    account,
    settings: cli.session.rp.settings(),
  });
  return 0;
}

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
  const where =
    effective.source === 'environment'
      ? 'the environment variable WEBAUTHN_USER_VERIFICATION'
      : 'WEBAUTHN_USER_VERIFICATION in the data folder\u2019s .env';
  return [`In force: ${effective.policy}, from ${where}, which overrides the setting.`];
}
