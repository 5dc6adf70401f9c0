// Signs an account in for one command (the CLI keeps no session): password then key, or key alone in WebAuthn-only mode.

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { ClientError } from '../../ctap/errors.js';
import type { AccountSummary, SignedIn } from '../rp/index.js';
import { RelyingPartyError } from '../rp/index.js';
import type { CliSession } from './cliSession.js';
import { readSecret } from './readSecret.js';

export const PASSWORD_ENV = 'LATCHKEY_PASSWORD';

/**
 * The account named by `email`, else the only account in the data folder. With several accounts and no email, the key
 * chooses (usernameless sign-in, WebAuthn-only accounts with a passkey). Warnings (a clone warning, orphaned keys)
 * are printed on stderr every time.
 */
export async function signIn(session: CliSession, email: string | undefined): Promise<SignedIn> {
  const { io } = session;
  const account = email === undefined ? onlyAccount(session) : knownAccount(session, email);
  let signedIn: SignedIn;
  if (account) signedIn = account.webauthn_only ? await keyAlone(session, account.email) : await passwordThenKey(session, account.email);
  // An unknown email is asked its password like any other and gets the relying party's answer to a wrong one.
  else if (email !== undefined) signedIn = await passwordThenKey(session, email);
  else signedIn = await keyAlone(session, undefined);
  for (const warning of signedIn.warnings) io.err(`Warning: ${warning.message}.`);
  return signedIn;
}

/** The account of `email`, or undefined when there is none: that is not said before the password is asked. */
function knownAccount(session: CliSession, email: string): AccountSummary | undefined {
  try {
    return session.rp.account({ email });
  } catch (error) {
    if (error instanceof RelyingPartyError && error.reason === 'user-unknown') return undefined;
    throw error;
  }
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
  return session.rp.finishKeySignIn({ response: await assertion(session, options, email) });
}

/** The key's answer; a key that holds none of the account's credentials is explained with the way out. */
async function assertion(session: CliSession, options: PublicKeyCredentialRequestOptionsJSON, email: string | undefined): Promise<AuthenticationResponseJSON> {
  try {
    return await session.get(options);
  } catch (error) {
    if (!(error instanceof ClientError) || error.reason !== 'no-credentials') throw error;
    const whose = email === undefined ? 'any account here' : email;
    throw new ClientError('no-credentials', `This key is not registered to ${whose}: use one that is, or "latchkey recovery use" if they are lost.`, { cause: error });
  }
}

async function passwordThenKey(session: CliSession, email: string): Promise<SignedIn> {
  const password = await readSecret(session.io, { env: PASSWORD_ENV, question: `Password for ${email}: `, what: 'the password' });
  let step;
  try {
    step = await session.rp.signInWithPassword({ email, password });
  } finally {
    password.fill(0);
  }
  if (step.status === 'signed-in') return step.signedIn;
  return session.rp.finishKeySignIn({ response: await assertion(session, step.options, email) });
}
