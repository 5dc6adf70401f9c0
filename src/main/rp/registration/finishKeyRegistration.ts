// Finishes adding a security key: verifies the client's RegistrationResponseJSON and stores the key under its name.

import { checkDisplayName } from '../keys/checkDisplayName.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { RpContext } from '../RpContext.js';
import { verifyRegistration, type CeremonyFacts } from './verifyRegistration.js';

export interface FinishKeyRegistrationOptions {
  /** The RegistrationResponseJSON from the WebAuthn client, as received (validated here). */
  response: unknown;
  /** The name the user gave the key. @default the model from its AAGUID ("YubiKey 5 NFC"), numbered if taken */
  displayName?: string;
}

export async function finishKeyRegistration(
  ctx: RpContext,
  options: FinishKeyRegistrationOptions,
): Promise<CredentialRecord> {
  const facts: CeremonyFacts = {};
  try {
    const displayName = options.displayName === undefined ? undefined : checkDisplayName(options.displayName);
    const { user, credential } = await verifyRegistration(ctx, {
      response: options.response,
      ceremony: 'registration',
      displayName,
      facts,
    });
    await ctx.store.update((file) => {
      const owner = file.users.find((u) => u.id === user.id);
      if (!owner)
        throw new RelyingPartyError('user-unknown', `the account ${user.email} was removed during the registration`);
      owner.credentials.push(credential);
    });
    await ctx.audit.record({
      event: 'key-registered',
      outcome: 'success',
      user_id: user.id,
      email: user.email,
      credential_id: credential.id,
      display_name: credential.display_name,
    });
    return credential;
  } catch (error) {
    if (error instanceof RelyingPartyError) {
      await ctx.audit.record({
        event: 'registration-failed',
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
