// Signs an account in for one command (the CLI keeps no session), as its sign-in mode says: password and/or key, or key alone.

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { ClientError } from '../../ctap/errors.js';
import type { AccountSummary, SignedIn } from '../rp/index.js';
import { RelyingPartyError } from '../rp/index.js';
import type { CliSession } from './cliSession.js';
import { readSecret } from './readSecret.js';
import { withUserVerificationWayOut } from './withUserVerificationWayOut.js';

export const PASSWORD_ENV = 'LATCHKEY_PASSWORD';

export interface SignInChoice {
  /** password-or-key accounts: the key alone (with its PIN) instead of the password alone. @default false */
  withKey?: boolean;
}

/**
 * The account named by `email`, else the only account in the data folder. With several accounts and no email, the key
 * chooses (usernameless sign-in with a passkey). The rule (docs/cli.md): key-only signs in with the key alone;
 * password-and-key with the password, then a key; password-or-key with the password alone, or the key alone when
 * `withKey` (`login --with-key`). Warnings (a clone warning, orphaned keys) are printed on stderr every time.
 */
export async function signIn(session: CliSession, email: string | undefined, choice: SignInChoice = {}): Promise<SignedIn> {
  const { rp, io } = session;
  const account = email === undefined ? onlyAccount(session) : rp.account({ email });
  // --with-key on a password-and-key account is refused by the relying party (mode-mismatch), which says why.
  const signedIn =
    account === undefined || account.sign_in_mode === 'key-only' || choice.withKey === true ? await keyAlone(session, account?.email) : await passwordThenKey(session, account);
  for (const warning of signedIn.warnings) io.err(`Warning: ${warning.message}.`);
  return signedIn;
}

/** The data folder's only account; undefined when there are several (the key will say whose it is). */
export function onlyAccount(session: CliSession): AccountSummary | undefined {
  const accounts = session.rp.accounts();
  if (accounts.length === 0) {
    throw new RelyingPartyError('user-unknown', `there is no account in ${session.rp.dataDir} yet: create one with "latchkey account create --email E"`);
  }
  return accounts.length === 1 ? accounts[0] : undefined;
}

async function keyAlone(session: CliSession, email: string | undefined): Promise<SignedIn> {
  const options = await session.rp.startPasswordlessSignIn(email === undefined ? {} : { email });
  return session.rp.finishKeySignIn({ response: await assertion(session, options, email, { keyAlone: true }) });
}

/** The key's answer; a key that holds none of the account's credentials is explained with the way out. */
async function assertion(session: CliSession, options: PublicKeyCredentialRequestOptionsJSON, email: string | undefined, how: { keyAlone: boolean }): Promise<AuthenticationResponseJSON> {
  try {
    return await session.get(options);
  } catch (error) {
    if (!(error instanceof ClientError) || error.reason !== 'no-credentials') throw withUserVerificationWayOut(error, session.rp, how);
    const whose = email === undefined ? 'any account here' : email;
    throw new ClientError('no-credentials', `This key is not registered to ${whose}: use one that is, or "latchkey recovery use" if they are lost.`, { cause: error });
  }
}

async function passwordThenKey(session: CliSession, account: AccountSummary): Promise<SignedIn> {
  const password = await readSecret(session.io, { env: PASSWORD_ENV, question: `Password for ${account.email}: `, what: 'the password' });
  let step;
  try {
    step = await session.rp.signInWithPassword({ email: account.email, password });
  } finally {
    password.fill(0);
  }
  if (step.status === 'signed-in') return step.signedIn;
  return session.rp.finishKeySignIn({ response: await assertion(session, step.options, account.email, { keyAlone: false }) });
}
