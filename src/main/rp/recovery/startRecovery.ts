// Starts recovering an account whose keys are lost: checks the recovery code (throttled) and opens a registration for a new key.

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { buildRegistrationOptions } from '../registration/buildRegistrationOptions.js';
import { checkSecretAttempt } from '../sign-in/checkSecretAttempt.js';
import type { RpContext } from '../RpContext.js';
import type { Secret } from '../../secrets/secretBytes.js';

export interface StartRecoveryOptions {
  email: string;
  /** As the user typed it: case, spaces, dashes and the look-alikes O, I, L do not matter. */
  recoveryCode: Secret;
}

/**
 * The code is checked here but spent only by finishRecovery, so a key that was not touched in time does not burn it.
 * The new key may be any key, one registered before included: all current keys are revoked when the recovery ends.
 */
export async function startRecovery(ctx: RpContext, options: StartRecoveryOptions): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = await checkSecretAttempt(ctx, { kind: 'recovery-code', email: options.email, secret: options.recoveryCode });
  const challenge = ctx.challenges.issue({
    ceremony: 'recovery',
    userId: user.id,
    userVerification: ctx.userVerification.policy,
    residentKey: user.webauthn_only ? 'required' : 'discouraged',
    recoveryCodeSalt: user.recovery_code?.hash.salt,
  });
  return buildRegistrationOptions(ctx, { user, challenge, excludeNone: true });
}
