// The PublicKeyCredentialCreationOptionsJSON for adding a key to an account (after sign-up, later, or in a recovery).

import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { ChallengeRecord } from '../ceremony/ChallengeStore.js';
import type { RpContext } from '../RpContext.js';
import type { UserRecord } from '../accounts/userRecord.js';
import { usableCredentials } from '../keys/usableCredentials.js';

export interface BuildRegistrationOptionsOptions {
  user: UserRecord;
  challenge: ChallengeRecord;
  /** Leave the account's keys out of excludeCredentials (a recovery, which revokes them all, may re-add one). */
  excludeNone?: boolean;
}

export function buildRegistrationOptions(
  ctx: RpContext,
  options: BuildRegistrationOptionsOptions,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { settings } = ctx.store.value;
  const { user, challenge } = options;
  const exclude = options.excludeNone ? [] : usableCredentials(user, settings.rp_id);
  return generateRegistrationOptions({
    rpName: settings.rp_display_name,
    rpID: settings.rp_id,
    userName: user.email,
    userDisplayName: user.email,
    userID: new Uint8Array(Buffer.from(user.user_handle, 'base64url')),
    challenge: new Uint8Array(Buffer.from(challenge.challenge, 'base64url')),
    timeout: ctx.challenges.ttlMs,
    // Direct: the attestation proves the AAGUID that names the key; with "none" clients may zero it.
    attestationType: 'direct',
    excludeCredentials: exclude.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: {
      authenticatorAttachment: 'cross-platform',
      residentKey: challenge.residentKey ?? 'discouraged',
      userVerification: challenge.userVerification,
    },
    extensions: { credProps: true, hmacCreateSecret: true },
    supportedAlgorithmIDs: [...ctx.algorithms],
  });
}
