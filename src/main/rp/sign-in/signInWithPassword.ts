// Signs in with email and password: throttled per account, then either done (no key) or a second-factor challenge for a key.

import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { accountSummary } from '../accounts/accountSummary.js';
import { buildSignInOptions } from './buildSignInOptions.js';
import { checkSecretAttempt } from './checkSecretAttempt.js';
import type { RpContext } from '../RpContext.js';
import type { Secret } from '../../secrets/secretBytes.js';
import type { SignedIn } from './SignedIn.js';
import { usableCredentials } from '../keys/usableCredentials.js';
import { passwordAloneSignsIn } from '../settings/signInMode.js';

export interface SignInWithPasswordOptions {
  email: string;
  /** Text, or UTF-8 bytes the caller zeroes afterwards. */
  password: Secret;
}

export type PasswordSignInResult =
  | { status: 'signed-in'; signedIn: SignedIn }
  /** The password was right; now the client gets an assertion from one of the account's keys (finishKeySignIn). */
  | { status: 'key-required'; options: PublicKeyCredentialRequestOptionsJSON };

export async function signInWithPassword(
  ctx: RpContext,
  options: SignInWithPasswordOptions,
): Promise<PasswordSignInResult> {
  // A right password on a WebAuthn-only account is answered as a wrong one: the answer must not confirm it.
  const user = await checkSecretAttempt(ctx, {
    kind: 'password',
    email: options.email,
    secret: options.password,
    accepts: (u) => u.sign_in_mode !== 'key-only',
    refusedReason: 'password-disabled',
  });
  const { settings } = ctx.store.value;
  // Sign-in modes (rp/settings/signInMode.ts): in password-or-key the password alone is a way in, no key step.
  const keys = passwordAloneSignsIn(user.sign_in_mode) ? [] : usableCredentials(user, settings.rp_id);
  if (keys.length > 0) {
    const challenge = ctx.challenges.issue({
      ceremony: 'second-factor',
      userId: user.id,
      userVerification: ctx.userVerification.policy,
    });
    return { status: 'key-required', options: await buildSignInOptions(ctx, challenge, keys) };
  }
  await ctx.audit.record({
    event: 'login',
    outcome: 'success',
    user_id: user.id,
    email: user.email,
    method: 'password',
  });
  const orphaned = passwordAloneSignsIn(user.sign_in_mode) ? 0 : user.credentials.length;
  const warnings: SignedIn['warnings'] =
    orphaned > 0
      ? [
          {
            code: 'keys-orphaned',
            message: `${orphaned} key(s) of this account are bound to another RP ID than ${settings.rp_id}, so the password alone signed in; register a key again`,
          },
        ]
      : [];
  return { status: 'signed-in', signedIn: { user: accountSummary(user), method: 'password', warnings } };
}
