// Starts recovering an account whose keys are lost: checks the password and the recovery code (both throttled) and opens a registration for a new key.

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { buildRegistrationOptions } from '../registration/buildRegistrationOptions.js';
import { checkSecretAttempt } from '../sign-in/checkSecretAttempt.js';
import { modeAfterRecovery } from './modeAfterRecovery.js';
import { keyAloneSignsIn } from '../settings/signInMode.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import type { Secret } from '../../secrets/secretBytes.js';

export interface StartRecoveryOptions {
  email: string;
  /** The account's password, in every sign-in mode: the code alone must not take an account over. */
  password: Secret;
  /** As the user typed it: case, spaces, dashes and the look-alikes O, I, L do not matter. */
  recoveryCode: Secret;
}

/**
 * 2FAuth's recovery form asks for the emailed link, the email and the password; Latchkey asks for the offline code in
 * place of the link. Without the password, whoever finds the code (written down, by design) would revoke every key,
 * register their own and, in key-only mode, never need the password again. The password is checked first, so a
 * wrong one says nothing about the code. The code is checked here but spent only by finishRecovery, so a key that was
 * not touched in time does not burn it. The new key may be any key, one registered before included: all current keys
 * are revoked when the recovery ends.
 */
export async function startRecovery(
  ctx: RpContext,
  options: StartRecoveryOptions,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  // Callers written for the code-only recovery (JavaScript, IPC) get a refusal that says what is missing, not a TypeError.
  if (typeof options.password !== 'string' && !(options.password instanceof Uint8Array)) {
    throw new RelyingPartyError(
      'password-wrong',
      'a recovery needs the account\u2019s password as well as the recovery code: the code alone does not take an account over',
    );
  }
  await checkSecretAttempt(ctx, { kind: 'password', email: options.email, secret: options.password });
  const user = await checkSecretAttempt(ctx, {
    kind: 'recovery-code',
    email: options.email,
    secret: options.recoveryCode,
  });
  const challenge = ctx.challenges.issue({
    ceremony: 'recovery',
    userId: user.id,
    userVerification: ctx.userVerification.policy,
    residentKey: keyAloneSignsIn(modeAfterRecovery(user.sign_in_mode)) ? 'required' : 'discouraged',
    recoveryCodeSalt: user.recovery_code?.hash.salt,
  });
  return buildRegistrationOptions(ctx, { user, challenge, excludeNone: true });
}
