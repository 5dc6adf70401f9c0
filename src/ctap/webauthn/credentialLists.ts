// Long allowCredentials / excludeCredentials lists for one key: batches of maxCredentialCountInList, and the silent (up:false) probe that finds the one the key holds.

import { equalBytes } from '../bytes.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import type { CredentialDescriptor } from '../ctap2/entities.js';
import type { AuthenticatorInfo } from '../ctap2/info.js';
import { CtapStatus } from '../ctapStatus.js';
import type { CallOptions } from '../transport.js';
import { isStatus, type UvMethod } from './userVerification.js';

/**
 * The list cut into requests the key accepts: ids longer than maxCredentialIdLength dropped (the key cannot have made
 * them), then batches of maxCredentialCountInList. A key that states no limit gets one id per request, as python-fido2
 * and Chromium do, since CTAP 2.0 keys differ in what they take.
 */
export function batchCredentials(
  list: readonly CredentialDescriptor[],
  info: AuthenticatorInfo,
): CredentialDescriptor[][] {
  const maxLength = info.maxCredentialIdLength;
  const usable = maxLength === undefined ? [...list] : list.filter((c) => c.id.length <= maxLength);
  const perBatch = Math.max(1, info.maxCredentialCountInList ?? 1);
  const batches: CredentialDescriptor[][] = [];
  for (let i = 0; i < usable.length; i += perBatch) batches.push(usable.slice(i, i + perBatch));
  return batches;
}

// The probe signs nothing anyone will see; the key only needs some 32 bytes.
const PROBE_CLIENT_DATA_HASH = new Uint8Array(32);

/**
 * Which credential of `batches` the key holds for `rpId`, or undefined for none: one silent getAssertion (up:false, no
 * touch) per batch, as python-fido2 and Chromium do. With a token the probe also sees credentials that need
 * verification (credProtect userVerificationRequired).
 */
export async function findCredential(
  ctap2: Ctap2,
  rpId: string,
  batches: readonly CredentialDescriptor[][],
  uv: UvMethod,
  opts: CallOptions,
): Promise<CredentialDescriptor | undefined> {
  for (const batch of batches) {
    try {
      const assertion = await ctap2.getAssertion(
        {
          rpId,
          clientDataHash: PROBE_CLIENT_DATA_HASH,
          allowList: batch,
          options: { up: false },
          ...(uv.kind === 'token' ? { pinUvAuthToken: uv.token } : {}),
        },
        opts,
      );
      const held = assertion.credential.id;
      return batch.find((c) => equalBytes(c.id, held)) ?? { type: 'public-key', id: held };
    } catch (error) {
      if (isStatus(error, CtapStatus.CTAP2_ERR_NO_CREDENTIALS)) continue;
      throw error;
    }
  }
  return undefined;
}
