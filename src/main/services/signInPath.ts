// The sign-in decision: which way in applies to an account (password, password + key, key alone), before anything is asked.

import type { AccountSummary, SignInMode } from '../rp/index.js';
import { ServiceError } from './ServiceError.js';

export type { SignInMode };

/**
 * How an account signs in (rp/settings/signInMode.ts). `password-and-key`: the password, then a key when the account
 * has a usable one. `key-only`: a key alone (the key verifies the user). `password-or-key`: either alone.
 */
export function signInMode(account: AccountSummary): SignInMode {
  return account.sign_in_mode;
}

/**
 * What to do next. `password-then-key`: ask the password; the relying party then says whether a key must follow.
 * `password`: the password alone. `key`: a key alone, for `email` or, without one, for whichever account the key
 * holds a passkey of.
 */
export type SignInPath =
  { kind: 'password-then-key'; email: string } | { kind: 'password'; email: string } | { kind: 'key'; email?: string };

export interface ChooseSignInPathOptions {
  /** Every account of the data folder. */
  accounts: readonly AccountSummary[];
  /** The account the person named (looked up by the caller); undefined lets the decision find it. */
  account?: AccountSummary;
  /** In `password-or-key` mode, the way the person picked. @default 'key' */
  prefer?: 'password' | 'key';
  /** Where the accounts live, for the message when there are none. */
  dataDir: string;
}

/**
 * The account named by `email`, else the only account. With several accounts and no email, a key alone may say whose
 * it is, but only when some account signs in that way; otherwise nothing can tell which one is meant.
 */
export function chooseSignInPath(options: ChooseSignInPathOptions): SignInPath {
  const account = options.account ?? onlyAccount(options);
  if (account === undefined) {
    if (options.accounts.some((a) => signInMode(a) !== 'password-and-key')) return { kind: 'key' };
    throw new ServiceError(
      'account-ambiguous',
      `There are ${options.accounts.length} accounts in ${options.dataDir} and each signs in with its password: say which one is meant.`,
      {
        details: { accounts: options.accounts.length, dataDir: options.dataDir },
      },
    );
  }
  switch (signInMode(account)) {
    case 'key-only':
      return { kind: 'key', email: account.email };
    case 'password-or-key':
      return options.prefer === 'password'
        ? { kind: 'password', email: account.email }
        : { kind: 'key', email: account.email };
    case 'password-and-key':
      return { kind: 'password-then-key', email: account.email };
  }
}

/** The data folder's only account; undefined when there are several. */
export function onlyAccount(options: {
  accounts: readonly AccountSummary[];
  dataDir: string;
}): AccountSummary | undefined {
  if (options.accounts.length === 0) {
    throw new ServiceError('no-account', `There is no account in ${options.dataDir} yet: create one first.`, {
      details: { accounts: 0, dataDir: options.dataDir },
    });
  }
  return options.accounts.length === 1 ? options.accounts[0] : undefined;
}
