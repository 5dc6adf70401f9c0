// Finishes a sign-in with a key (second factor or a key alone): verifies the assertion, updates the key, flags a clone.

import { accountSummary } from '../accounts/accountSummary.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import type { SignedIn } from './SignedIn.js';
import { verifyAssertion } from './verifyAssertion.js';
import type { CeremonyFacts } from '../registration/verifyRegistration.js';

export interface FinishKeySignInOptions {
  /** The AuthenticationResponseJSON from the WebAuthn client, as received (validated here). */
  response: unknown;
}

type CounterOutcome = { regressed: false; key: CredentialRecord } | { regressed: true; stored: number };

/**
 * A signature counter that does not advance refuses the sign-in with `clone-warning`, and the key is flagged for good
 * (clone_warning, an audit event). Later sign-ins whose counter advances again pass, each carrying a `clone-warning`
 * warning, until the user revokes the key: the flag is shown, never silently dropped. The counter is compared inside
 * the locked update with what is on disk, so two sign-ins finishing at once (a key and its byte-for-byte clone) are
 * judged one after the other: the second sees the first's counter, and the stored counter never goes down.
 */
export async function finishKeySignIn(ctx: RpContext, options: FinishKeySignInOptions): Promise<SignedIn> {
  const facts: CeremonyFacts = {};
  try {
    const verified = await verifyAssertion(ctx, options.response, facts);
    const { user, credential, authData } = verified;
    const now = new Date(ctx.now()).toISOString();
    const outcome = await ctx.store.update((file): CounterOutcome => {
      const draft = file.users.find((u) => u.id === user.id)?.credentials.find((c) => c.id === credential.id);
      if (!draft)
        throw new RelyingPartyError(
          'credential-revoked',
          `the key "${credential.display_name}" was revoked during this sign-in`,
        );
      const stored = draft.authenticator.sign_count;
      // L3 section 6.1.1: keys that always report 0 (some U2F keys, synced passkeys) never trip it.
      if ((authData.signCount > 0 || stored > 0) && authData.signCount <= stored) {
        draft.authenticator.clone_warning = true;
        return { regressed: true, stored };
      }
      draft.authenticator.sign_count = authData.signCount;
      draft.last_used_at = now;
      // BS is the one flag that legitimately changes after registration (a credential starts or stops syncing).
      draft.flags.backup_state = authData.flags.bs;
      // What the relying party learns: this key verifies its user (verifyingCredentials), e.g. after a PIN was set.
      if (authData.flags.uv) draft.flags.user_verified = true;
      return { regressed: false, key: structuredClone(draft) };
    });
    if (outcome.regressed) {
      await ctx.audit.record({
        event: 'clone-warning',
        outcome: 'failure',
        user_id: user.id,
        email: user.email,
        credential_id: credential.id,
        display_name: credential.display_name,
        reason: 'counter-regressed',
      });
      throw new RelyingPartyError(
        'clone-warning',
        `the key "${credential.display_name}" reported signature counter ${authData.signCount}, not above the ${outcome.stored} it reported before: it may have been cloned. The sign-in was refused and the key flagged; unless you restored it from a backup, revoke it and register a new key.`,
      );
    }
    const { key } = outcome;
    const method = verified.challenge.ceremony === 'passwordless' ? 'key' : 'password+key';
    await ctx.audit.record({
      event: 'login',
      outcome: 'success',
      user_id: user.id,
      email: user.email,
      credential_id: key.id,
      display_name: key.display_name,
      method,
    });
    const warnings: SignedIn['warnings'] = key.authenticator.clone_warning
      ? [
          {
            code: 'clone-warning',
            message: `the key "${key.display_name}" was flagged as possibly cloned on an earlier sign-in; revoke it unless you know why its counter went back`,
          },
        ]
      : [];
    const account = ctx.store.value.users.find((u) => u.id === user.id) ?? user;
    return { user: accountSummary(account), method, key, warnings };
  } catch (error) {
    if (error instanceof RelyingPartyError) {
      await ctx.audit.record({
        event: 'login-failed',
        outcome: 'failure',
        user_id: facts.userId,
        email: facts.email,
        credential_id: facts.credentialId,
        display_name: facts.displayName,
        method: 'key',
        reason: error.reason,
      });
    }
    throw error;
  }
}
