// Verifies an AuthenticationResponseJSON (WebAuthn L3 section 7.2) for a second-factor or passwordless challenge; the counter is finishKeySignIn's.

import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuthenticatorData } from '../../../ctap/index.js';
import { checkAuthenticatorData } from './checkAuthenticatorData.js';
import type { ChallengeRecord } from '../ceremony/ChallengeStore.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';
import { explainVerifierError } from '../ceremony/explainVerifierError.js';
import { findCredential } from '../keys/findCredential.js';
import { keyAloneSignsIn } from '../settings/signInMode.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import { authenticationResponseSchema } from '../ceremony/responseSchemas.js';
import type { RpContext } from '../RpContext.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { userVerificationWayOut } from '../settings/userVerificationWayOut.js';
import type { CeremonyFacts } from '../registration/verifyRegistration.js';
import { parseResponse } from '../ceremony/parseResponse.js';
import { verifyClientData } from '../ceremony/verifyClientData.js';

export interface VerifiedAssertion {
  challenge: ChallengeRecord;
  user: UserRecord;
  credential: CredentialRecord;
  authData: AuthenticatorData;
}

export async function verifyAssertion(
  ctx: RpContext,
  response: unknown,
  facts: CeremonyFacts,
): Promise<VerifiedAssertion> {
  const parsed = parseResponse(authenticationResponseSchema, response, 'sign-in');
  const { settings } = ctx.store.value;
  const { challenge } = verifyClientData({
    clientDataJSON: parsed.response.clientDataJSON,
    expectedType: 'webauthn.get',
    expectedOrigin: settings.rp_origin,
    ceremonies: ['second-factor', 'passwordless'],
    challenges: ctx.challenges,
  });
  facts.credentialId = parsed.rawId;

  const found = findCredential(ctx.store.value, parsed.rawId);
  if (found.state === 'unknown')
    throw new RelyingPartyError('credential-unknown', `no key with credential ID ${parsed.rawId} is registered here`);
  facts.userId = found.user.id;
  facts.email = found.user.email;
  if (found.state === 'revoked') {
    facts.displayName = found.revoked.display_name;
    throw new RelyingPartyError(
      'credential-revoked',
      `the key "${found.revoked.display_name}" (${parsed.rawId}) was revoked on ${found.revoked.revoked_at}`,
    );
  }
  const { user, credential } = found;
  facts.displayName = credential.display_name;
  if (challenge.userId !== undefined && challenge.userId !== user.id) {
    throw new RelyingPartyError(
      'credential-not-allowed',
      `the key "${credential.display_name}" belongs to another account than the one signing in`,
    );
  }
  if (credential.rp_id !== settings.rp_id) {
    throw new RelyingPartyError(
      'credential-orphaned',
      `the key "${credential.display_name}" is bound to RP ID ${credential.rp_id}, but the RP ID is now ${settings.rp_id}`,
    );
  }
  const userHandle = parsed.response.userHandle;
  if (userHandle !== undefined && userHandle !== credential.user_handle) {
    throw new RelyingPartyError(
      'user-handle-mismatch',
      `the response's userHandle ${userHandle} is not the user handle of the key's account (${credential.user_handle})`,
    );
  }
  // With no account named up front, the user handle is how L3 section 7.2 step 6 ties the key to its account.
  if (userHandle === undefined && challenge.userId === undefined) {
    throw new RelyingPartyError(
      'user-handle-missing',
      'the response has no userHandle, which a sign-in without an email needs (a discoverable credential returns one)',
    );
  }
  if (challenge.ceremony === 'passwordless' && !keyAloneSignsIn(user.sign_in_mode)) {
    throw new RelyingPartyError(
      'mode-mismatch',
      `${user.email} signs in with the password and then a key (password-and-key); a key alone is accepted only in password-or-key and key-only`,
    );
  }
  if (challenge.ceremony === 'second-factor' && user.sign_in_mode === 'key-only') {
    throw new RelyingPartyError(
      'mode-mismatch',
      `${user.email} switched to key-only during this sign-in; sign in with the key alone`,
    );
  }

  const authData = checkAuthenticatorData({
    authData: Buffer.from(parsed.response.authenticatorData, 'base64url'),
    rpId: settings.rp_id,
    userVerification: challenge.userVerification,
    ceremony: 'sign-in',
    keyAlone: challenge.ceremony === 'passwordless',
    userVerificationWayOut: userVerificationWayOut({
      keyAlone: challenge.ceremony === 'passwordless',
      effective: ctx.userVerification,
    }),
  });
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: parsed as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: settings.rp_origin,
      expectedRPID: settings.rp_id,
      expectedType: 'webauthn.get',
      // Counter 0: the library would refuse a regression outright; Latchkey checks it itself below, after the signature.
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.public_key, 'base64')),
        counter: 0,
        transports: credential.transports,
      },
      requireUserVerification: challenge.userVerification === 'required',
    });
  } catch (error) {
    throw explainVerifierError(error, 'sign-in');
  }
  if (!verified.verified) {
    throw new RelyingPartyError(
      'signature-invalid',
      `the signature does not verify with the public key of "${credential.display_name}" over the authenticator data and clientDataJSON`,
    );
  }
  // L3 section 7.2 step 18, after the signature so the refusal describes what the key itself said. BE is fixed when a
  // credential is made; a change means another authenticator (a synced copy) answers for a single-device credential.
  if (authData.flags.be !== credential.flags.backup_eligible) {
    const said = (be: boolean) =>
      be ? 'backup eligible (BE=1, a credential that can be synced)' : 'single-device (BE=0)';
    throw new RelyingPartyError(
      'backup-eligibility-changed',
      `the key "${credential.display_name}" was registered as ${said(credential.flags.backup_eligible)} but now says it is ${said(authData.flags.be)}: it may be a copy of the credential on another device. The sign-in was refused; register the key again if you expected this.`,
    );
  }
  return { challenge, user, credential, authData };
}
