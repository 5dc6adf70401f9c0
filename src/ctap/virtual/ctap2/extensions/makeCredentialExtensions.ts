// The extensions of authenticatorMakeCredential on the virtual key (CTAP 2.2 section 12): reading their inputs and writing their outputs.

import { randomFillSync } from 'node:crypto';
import type { CborInput } from '../../../cbor/encode.js';
import type { CborMap, CborValue } from '../../../cbor/types.js';
import { CtapStatus } from '../../../ctapStatus.js';
import { hasExtension } from '../../features.js';
import { CredProtect, type CredentialExtras } from '../../state.js';
import { CtapStatusError } from '../CtapStatusError.js';
import { type CommandContext } from '../context.js';
import type { HmacSecretInput } from './extensionInputs.js';
import { credentialHmacSecret, readHmacSecretInput } from './hmacSecret.js';

/** What the platform asked for, among the extensions this key advertises; anything else is ignored (section 6.1.2 step 15). */
export interface CredentialExtensionInputs {
  credProtect?: number;
  hmacSecret: boolean;
  /** hmac-secret-mc (CTAP 2.2 section 12.8): salts to evaluate once the credential exists. Only with `hmacSecret`. */
  hmacSecretMc?: HmacSecretInput;
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

export function readMakeCredentialExtensions(
  ctx: CommandContext,
  map: CborMap | undefined,
  rk: boolean,
): CredentialExtensionInputs {
  const inputs: CredentialExtensionInputs = { hmacSecret: false, minPinLength: false, largeBlobKey: false };
  if (!map) return inputs;
  const { profile } = ctx;
  const credProtect = map.get('credProtect');
  if (credProtect !== undefined && hasExtension(profile, 'credProtect')) {
    if (typeof credProtect !== 'number' || !Number.isInteger(credProtect))
      throw unexpectedType('credProtect', 'an unsigned integer');
    if (credProtect < CredProtect.userVerificationOptional || credProtect > CredProtect.userVerificationRequired) {
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
        `credProtect ${credProtect} is not a level of 1 to 3`,
      );
    }
    inputs.credProtect = credProtect;
  }
  if (hasExtension(profile, 'hmac-secret')) inputs.hmacSecret = readBoolean(map, 'hmac-secret') === true;
  // Section 12.8: the platform sends the salts next to hmac-secret: true; without it the credential gets no CredRandom
  // to evaluate them with, so they are ignored like any input the key does not take.
  const hmacMc = map.get('hmac-secret-mc');
  if (hmacMc !== undefined && inputs.hmacSecret && hasExtension(profile, 'hmac-secret-mc')) {
    inputs.hmacSecretMc = readHmacSecretInput(ctx, hmacMc, 'hmac-secret-mc');
  }
  if (hasExtension(profile, 'minPinLength')) inputs.minPinLength = readBoolean(map, 'minPinLength') === true;
  const credBlob = map.get('credBlob');
  if (credBlob !== undefined && hasExtension(profile, 'credBlob')) {
    if (!(credBlob instanceof Uint8Array)) throw unexpectedType('credBlob', 'a byte string');
    inputs.credBlob = credBlob;
  }
  if (hasExtension(profile, 'largeBlobKey')) {
    const largeBlobKey = readBoolean(map, 'largeBlobKey');
    // Section 12.3: only true is meaningful, and only a discoverable credential can own a large blob.
    if (largeBlobKey === false)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'largeBlobKey must be true when present');
    if (largeBlobKey === true && !rk)
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'largeBlobKey needs a discoverable credential');
    inputs.largeBlobKey = largeBlobKey === true;
  }
  return inputs;
}

/** The credential's extension data: its credProtect level, hmac-secret flag, credBlob (when it fits) and large-blob key. */
export function decideCredentialExtensions(
  ctx: CommandContext,
  inputs: CredentialExtensionInputs,
): CredentialExtensionResult {
  const extras: CredentialExtras = {
    credProtect: inputs.credProtect ?? CredProtect.userVerificationOptional,
    hmacSecret: inputs.hmacSecret,
  };
  // Section 12.2: a credBlob longer than maxCredBlobLength is not stored, and the output says so.
  if (inputs.credBlob !== undefined && inputs.credBlob.length <= (ctx.profile.maxCredBlobLength ?? 0))
    extras.credBlob = inputs.credBlob.slice();
  const result: CredentialExtensionResult = { extras };
  if (inputs.largeBlobKey) result.largeBlobKey = randomFillSync(new Uint8Array(LARGE_BLOB_KEY_SIZE));
  return result;
}

/** The credential that was made, as far as its extension outputs depend on it. */
export interface MadeCredential {
  id: Uint8Array;
  rpId: string;
  extras: CredentialExtras;
  /** By token or built-in UV: picks CredRandomWithUV over WithoutUV for hmac-secret-mc. */
  userVerified: boolean;
}

/**
 * The authenticator extension outputs for authData, or undefined when there are none (the ED flag stays clear).
 * hmac-secret-mc fails here as getAssertion's hmac-secret does (PIN_AUTH_INVALID, INVALID_LENGTH), so the caller stores
 * a discoverable credential only once this returned.
 */
export function makeCredentialExtensionOutputs(
  ctx: CommandContext,
  inputs: CredentialExtensionInputs,
  made: MadeCredential,
): Map<string, CborInput> | undefined {
  const { extras } = made;
  const outputs = new Map<string, CborInput>();
  if (inputs.credProtect !== undefined) outputs.set('credProtect', extras.credProtect);
  if (inputs.hmacSecret) outputs.set('hmac-secret', true);
  // The same bytes a later getAssertion with hmac-secret gives for these salts with the same user verification.
  if (inputs.hmacSecretMc)
    outputs.set('hmac-secret-mc', credentialHmacSecret(ctx, inputs.hmacSecretMc, made.id, made.userVerified));
  if (inputs.credBlob !== undefined) outputs.set('credBlob', extras.credBlob !== undefined);
  // Section 12.4: only RPs on the minPinLengthRPIDs list learn the minimum PIN length.
  if (inputs.minPinLength && ctx.state.minPinLengthRpIds.includes(made.rpId))
    outputs.set('minPinLength', ctx.state.minPinLength);
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
