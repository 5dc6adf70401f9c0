// Finishes an account recovery: registers the new key, revokes every other key, leaves key-only, spends the code and issues a new one.

import { accountSummary } from '../accounts/accountSummary.js';
import { checkDisplayName } from '../keys/checkDisplayName.js';
import type { CredentialRecord, RevokedCredential } from '../keys/credentialRecord.js';
import { findUser } from '../accounts/findUser.js';
import { hashSecret } from '../../secrets/secretHash.js';
import { zeroize } from '../../secrets/zeroize.js';
import { generateRecoveryCode, normalizeRecoveryCode } from './recoveryCode.js';
import { modeAfterRecovery } from './modeAfterRecovery.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { secretBytes } from '../../secrets/secretBytes.js';
import type { SignedIn } from '../sign-in/SignedIn.js';
import type { SignInMode } from '../settings/signInMode.js';
import { verifyRegistration, type CeremonyFacts } from '../registration/verifyRegistration.js';

export interface FinishRecoveryOptions {
  /** The RegistrationResponseJSON from the WebAuthn client, as received (validated here). */
  response: unknown;
  /** @default the model from the AAGUID */
  displayName?: string;
}

export interface RecoveryResult {
  signedIn: SignedIn;
  /** The keys revoked because the recovery replaced them. */
  revoked: RevokedCredential[];
  /** The spent code's replacement: show it once. An account is never left without a way back. */
  recoveryCode: string;
}

export async function finishRecovery(ctx: RpContext, options: FinishRecoveryOptions): Promise<RecoveryResult> {
  const facts: CeremonyFacts = {};
  try {
    const displayName = options.displayName === undefined ? undefined : checkDisplayName(options.displayName);
    const { user, credential, challenge } = await verifyRegistration(ctx, {
      response: options.response,
      ceremony: 'recovery',
      displayName,
      facts,
    });
    const recoveryCode = generateRecoveryCode();
    const bytes = secretBytes(normalizeRecoveryCode(recoveryCode));
    let outcome: { revoked: RevokedCredential[]; key: CredentialRecord; modeBefore: SignInMode; modeAfter: SignInMode };
    try {
      const hash = await hashSecret({ secret: bytes, params: ctx.scrypt });
      const now = new Date(ctx.now()).toISOString();
      outcome = await ctx.store.update((file) => {
        const draft = findUser(file, { id: user.id });
        if (!draft.recovery_code || draft.recovery_code.hash.salt !== challenge.recoveryCodeSalt) {
          throw new RelyingPartyError(
            'recovery-code-wrong',
            'the recovery code was spent or replaced after this recovery began; start again with the current code',
          );
        }
        const revoked = draft.credentials.map((c): RevokedCredential => ({
          id: c.id,
          display_name: c.display_name,
          revoked_at: now,
          reason: 'recovery',
        }));
        draft.revoked_credentials.push(...revoked);
        draft.credentials = [credential];
        draft.recovery_code = { created_at: now, hash };
        draft.recovery_throttle = { failures: 0, last_failure_at: null };
        const modeBefore = draft.sign_in_mode;
        draft.sign_in_mode = modeAfterRecovery(modeBefore);
        return { revoked, key: structuredClone(credential), modeBefore, modeAfter: draft.sign_in_mode };
      });
    } finally {
      zeroize(bytes);
    }
    for (const r of outcome.revoked) {
      await ctx.audit.record({
        event: 'key-revoked',
        outcome: 'success',
        user_id: user.id,
        email: user.email,
        credential_id: r.id,
        display_name: r.display_name,
        reason: 'recovery',
      });
    }
    await ctx.audit.record({
      event: 'key-registered',
      outcome: 'success',
      user_id: user.id,
      email: user.email,
      credential_id: credential.id,
      display_name: credential.display_name,
    });
    if (outcome.modeAfter !== outcome.modeBefore) {
      await ctx.audit.record({
        event: 'mode-changed',
        outcome: 'success',
        user_id: user.id,
        email: user.email,
        setting: 'sign_in_mode',
        from: outcome.modeBefore,
        to: outcome.modeAfter,
        reason: 'recovery',
      });
    }
    await ctx.audit.record({
      event: 'account-recovered',
      outcome: 'success',
      user_id: user.id,
      email: user.email,
      credential_id: credential.id,
      count: outcome.revoked.length,
      method: 'recovery',
    });
    const account = accountSummary(findUser(ctx.store.value, { id: user.id }));
    return {
      signedIn: { user: account, method: 'recovery', key: outcome.key, warnings: [] },
      revoked: outcome.revoked,
      recoveryCode,
    };
  } catch (error) {
    if (error instanceof RelyingPartyError) {
      await ctx.audit.record({
        event: 'recovery-failed',
        outcome: 'failure',
        user_id: facts.userId,
        email: facts.email,
        credential_id: facts.credentialId,
        reason: error.reason,
      });
    }
    throw error;
  }
}
