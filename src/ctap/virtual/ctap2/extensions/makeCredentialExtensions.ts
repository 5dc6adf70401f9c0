// The extensions of authenticatorMakeCredential on the virtual key (CTAP 2.2 section 12): reading their inputs and writing their outputs.

import { randomFillSync } from 'node:crypto';
import type { CborInput } from '../../../cbor/encode.js';
import type { CborMap, CborValue } from '../../../cbor/types.js';
import { CtapStatus } from '../../../ctap2/status.js';
import { hasExtension } from '../../features.js';
import { CredProtect, type CredentialExtras } from '../../state.js';
import { CtapStatusError, type CommandContext } from '../context.js';

/** What the platform asked for, among the extensions this key advertises; anything else is ignored (section 6.1.2 step 15). */
export interface CredentialExtensionInputs {
  credProtect?: number;
  hmacSecret: boolean;
  credBlob?: Uint8Array;
  minPinLength: boolean;
  largeBlobKey: boolean;
}

/** A credential's extension data, decided before it is stored, and the large-blob key it gets. */
export interface CredentialExtensionResult {
  extras: CredentialExtras;
  largeBlobKey?: Uint8Array;
}

const LARGE_BLOB_KEY_SIZE = 32;

export function readMakeCredentialExtensions(ctx: CommandContext, map: CborMap | undefined, rk: boolean): CredentialExtensionInputs {
  const inputs: CredentialExtensionInputs = { hmacSecret: false, minPinLength: false, largeBlobKey: false };
  if (!map) return inputs;
  const { profile } = ctx;
  const credProtect = map.get('credProtect');
  if (credProtect !== undefined && hasExtension(profile, 'credProtect')) {
    if (typeof credProtect !== 'number' || !Number.isInteger(credProtect)) throw unexpectedType('credProtect', 'an unsigned integer');
    if (credProtect < CredProtect.userVerificationOptional || credProtect > CredProtect.userVerificationRequired) {
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, `credProtect ${credProtect} is not a level of 1 to 3`);
    }
    inputs.credProtect = credProtect;
  }
  if (hasExtension(profile, 'hmac-secret')) inputs.hmacSecret = readBoolean(map, 'hmac-secret') === true;
  if (hasExtension(profile, 'minPinLength')) inputs.minPinLength = readBoolean(map, 'minPinLength') === true;
  const credBlob = map.get('credBlob');
  if (credBlob !== undefined && hasExtension(profile, 'credBlob')) {
    if (!(credBlob instanceof Uint8Array)) throw unexpectedType('credBlob', 'a byte string');
    inputs.credBlob = credBlob;
  }
  if (hasExtension(profile, 'largeBlobKey')) {
    const largeBlobKey = readBoolean(map, 'largeBlobKey');
    // Section 12.3: only true is meaningful, and only a discoverable credential can own a large blob.
    if (largeBlobKey === false) throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'largeBlobKey must be true when present');
    if (largeBlobKey === true && !rk) throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'largeBlobKey needs a discoverable credential');
    inputs.largeBlobKey = largeBlobKey === true;
  }
  return inputs;
}

/** The credential's extension data: its credProtect level, hmac-secret flag, credBlob (when it fits) and large-blob key. */
export function decideCredentialExtensions(ctx: CommandContext, inputs: CredentialExtensionInputs): CredentialExtensionResult {
  const extras: CredentialExtras = {
    credProtect: inputs.credProtect ?? CredProtect.userVerificationOptional,
    hmacSecret: inputs.hmacSecret,
  };
  // Section 12.2: a credBlob longer than maxCredBlobLength is not stored, and the output says so.
  if (inputs.credBlob !== undefined && inputs.credBlob.length <= (ctx.profile.maxCredBlobLength ?? 0)) extras.credBlob = inputs.credBlob.slice();
  const result: CredentialExtensionResult = { extras };
  if (inputs.largeBlobKey) result.largeBlobKey = randomFillSync(new Uint8Array(LARGE_BLOB_KEY_SIZE));
  return result;
}

/** The authenticator extension outputs for authData, or undefined when there are none (the ED flag stays clear). */
export function makeCredentialExtensionOutputs(
  ctx: CommandContext,
  inputs: CredentialExtensionInputs,
  extras: CredentialExtras,
  rpId: string,
): Map<string, CborInput> | undefined {
  const outputs = new Map<string, CborInput>();
  if (inputs.credProtect !== undefined) outputs.set('credProtect', extras.credProtect);
  if (inputs.hmacSecret) outputs.set('hmac-secret', true);
  if (inputs.credBlob !== undefined) outputs.set('credBlob', extras.credBlob !== undefined);
  // Section 12.4: only RPs on the minPinLengthRPIDs list learn the minimum PIN length.
  if (inputs.minPinLength && ctx.state.minPinLengthRpIds.includes(rpId)) outputs.set('minPinLength', ctx.state.minPinLength);
  return outputs.size > 0 ? outputs : undefined;
}

function readBoolean(map: CborMap, name: string): boolean | undefined {
  const value: CborValue = map.get(name);
  if (value !== undefined && typeof value !== 'boolean') throw unexpectedType(name, 'a boolean');
  return value;
}

function unexpectedType(name: string, expected: string): CtapStatusError {
  return new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, `extension ${name} is not ${expected}`);
}
