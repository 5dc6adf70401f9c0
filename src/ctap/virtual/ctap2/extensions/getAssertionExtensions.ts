// The extensions of authenticatorGetAssertion on the virtual key (CTAP 2.2 section 12): reading their inputs and computing each credential's outputs.

import type { CborInput } from '../../../cbor/encode.js';
import type { CborMap } from '../../../cbor/types.js';
import { CtapStatus } from '../../../ctapStatus.js';
import { hasExtension } from '../../features.js';
import { CtapStatusError } from '../CtapStatusError.js';
import { type CommandContext } from '../context.js';
import type { FoundCredential } from '../credentialLookup.js';
import type { AssertionExtensionInputs } from './extensionInputs.js';
import { credentialHmacSecret, readHmacSecretInput } from './hmacSecret.js';

/** One assertion's outputs: the authData extensions map, and the largeBlobKey (response member 0x07). */
export interface AssertionExtensionOutputs {
  authData?: Map<string, CborInput>;
  largeBlobKey?: Uint8Array;
}

export function readGetAssertionExtensions(ctx: CommandContext, map: CborMap | undefined): AssertionExtensionInputs {
  const inputs: AssertionExtensionInputs = { credBlob: false, largeBlobKey: false };
  if (!map) return inputs;
  const { profile } = ctx;
  const hmac = map.get('hmac-secret');
  if (hmac !== undefined && hasExtension(profile, 'hmac-secret'))
    inputs.hmacSecret = readHmacSecretInput(ctx, hmac, 'hmac-secret');
  if (hasExtension(profile, 'credBlob')) inputs.credBlob = readBoolean(map, 'credBlob') === true;
  if (hasExtension(profile, 'largeBlobKey')) {
    const largeBlobKey = readBoolean(map, 'largeBlobKey');
    if (largeBlobKey === false)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'largeBlobKey must be true when present');
    inputs.largeBlobKey = largeBlobKey === true;
  }
  return inputs;
}

export interface AssertionContext {
  userVerified: boolean;
  /** hmac-secret answers only assertions with user presence: a silent probe must not derive secrets. */
  userPresent: boolean;
}

/** The outputs for one credential of the assertion (or of a getNextAssertion). */
export function assertionExtensionOutputs(
  ctx: CommandContext,
  credential: FoundCredential,
  inputs: AssertionExtensionInputs,
  assertion: AssertionContext,
): AssertionExtensionOutputs {
  const outputs: AssertionExtensionOutputs = {};
  const authData = new Map<string, CborInput>();
  if (inputs.credBlob) authData.set('credBlob', credential.credBlob ?? new Uint8Array(0));
  if (inputs.hmacSecret && credential.hmacSecret && assertion.userPresent) {
    authData.set('hmac-secret', credentialHmacSecret(ctx, inputs.hmacSecret, credential.id, assertion.userVerified));
  }
  if (authData.size > 0) outputs.authData = authData;
  const key = credential.resident?.largeBlobKey;
  if (inputs.largeBlobKey && key) outputs.largeBlobKey = key.slice();
  return outputs;
}

function readBoolean(map: CborMap, name: string): boolean | undefined {
  const value = map.get(name);
  if (value !== undefined && typeof value !== 'boolean') {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, `extension ${name} is not a boolean`);
  }
  return value;
}
