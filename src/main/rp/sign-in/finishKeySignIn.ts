// Finishes a sign-in with a key (second factor or WebAuthn-only): verifies the assertion, updates the key, flags a clone.

import { accountSummary } from '../accounts/accountSummary.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import type { SignedIn } from './SignedIn.js';
import { verifyAssertion } from './verifyAssertion.js';
import type { CeremonyFacts } from '../registration/verifyRegistration.js';

export interface FinishKeySignInOptions {
  /** The AuthenticationResponseJSON from the WebAuthn client, as received (validated here). */
  response: unknown;
}

/**
 * A signature counter that does not advance refuses the sign-in with `clone-warning`, and the key is flagged for good
 * (clone_warning, an audit event). Later sign-ins whose counter advances again pass, each carrying a `clone-warning`
 * warning, until the user revokes the key: the flag is shown, never silently dropped.
 */
export async function finishKeySignIn(ctx: RpContext, options: FinishKeySignInOptions): Promise<SignedIn> {
  const facts: CeremonyFacts = {};
  try {
    const verified = await verifyAssertion(ctx, options.response, facts);
    const { user, credential, authData } = verified;
    if (verified.counterRegressed) {
      await ctx.store.update((file) => {
        const key = file.users.find((u) => u.id === user.id)?.credentials.find((c) => c.id === credential.id);
        if (key) key.authenticator.clone_warning = true;
      });
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
        `the key "${credential.display_name}" reported signature counter ${authData.signCount}, not above the ${credential.authenticator.sign_count} it reported before: it may have been cloned. The sign-in was refused and the key flagged; unless you restored it from a backup, revoke it and register a new key.`,
      );
    }
    const now = new Date(ctx.now()).toISOString();
    const key = await ctx.store.update((file) => {
      const draft = file.users.find((u) => u.id === user.id)?.credentials.find((c) => c.id === credential.id);
      if (!draft) throw new RelyingPartyError('credential-revoked', `the key "${credential.display_name}" was revoked during this sign-in`);
      draft.authenticator.sign_count = authData.signCount;
      draft.last_used_at = now;
      // BS is the one flag that legitimately changes after registration (a credential starts or stops syncing).
      draft.flags.backup_state = authData.flags.bs;
      return structuredClone(draft);
    });
    const method = verified.challenge.ceremony === 'passwordless' ? 'key' : 'password+key';
    await ctx.audit.record({ event: 'login', outcome: 'success', user_id: user.id, email: user.email, credential_id: key.id, display_name: key.display_name, method });
    const warnings: SignedIn['warnings'] = key.authenticator.clone_warning
      ? [{ code: 'clone-warning', message: `the key "${key.display_name}" was flagged as possibly cloned on an earlier sign-in; revoke it unless you know why its counter went back` }]
      : [];
    return { user: accountSummary(user), method, key, warnings };
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
