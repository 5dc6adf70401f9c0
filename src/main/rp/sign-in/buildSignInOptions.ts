// The PublicKeyCredentialRequestOptionsJSON for a sign-in with a key: after the password, or alone (WebAuthn-only).

import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { ChallengeRecord } from '../ceremony/ChallengeStore.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';
import type { RpContext } from '../RpContext.js';

export function buildSignInOptions(
  ctx: RpContext,
  challenge: ChallengeRecord,
  allowed: readonly CredentialRecord[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: ctx.store.value.settings.rp_id,
    // Empty: the key offers its discoverable credentials for this RP, and the user handle names the account.
    allowCredentials: allowed.map((c) => ({ id: c.id, transports: c.transports })),
    challenge: new Uint8Array(Buffer.from(challenge.challenge, 'base64url')),
    timeout: ctx.challenges.ttlMs,
    userVerification: challenge.userVerification,
  });
}
