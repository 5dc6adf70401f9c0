// Signs an account in for one command (the CLI keeps no session): password then key, or key alone in WebAuthn-only mode.

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { ClientError } from '../../ctap/index.js';
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
  const { rp, io } = session;
  const account = email === undefined ? onlyAccount(session) : rp.account({ email });
  const signedIn = account === undefined ? await keyAlone(session, undefined) : account.webauthn_only ? await keyAlone(session, account.email) : await passwordThenKey(session, account);
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

async function passwordThenKey(session: CliSession, account: AccountSummary): Promise<SignedIn> {
  const password = await readSecret(session.io, { env: PASSWORD_ENV, question: `Password for ${account.email}: `, what: 'the password' });
  let step;
  try {
    step = await session.rp.signInWithPassword({ email: account.email, password });
  } finally {
    password.fill(0);
  }
  if (step.status === 'signed-in') return step.signedIn;
  return session.rp.finishKeySignIn({ response: await assertion(session, step.options, account.email) });
}
