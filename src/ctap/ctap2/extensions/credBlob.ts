// The credBlob extension (CTAP 2.1 section 12.2): a few bytes stored with a credential and handed back with its assertions.

import { optBool, optBytes } from '../../cbor/fields.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientError } from '../../errors.js';
import {
  EXTENSION_OUTPUTS,
  ExtensionId,
  supportsExtension,
  type ExtensionInfo,
  type ExtensionInput,
} from './extension.js';

/** Section 12.2: a key with credBlob keeps at least this many bytes (getInfo maxCredBlobLength may say more). */
export const MIN_CRED_BLOB_LENGTH = 32;

export function isCredBlobSupported(info: ExtensionInfo): boolean {
  return supportsExtension(info, ExtensionId.credBlob);
}

/** How many bytes the key stores per credential: getInfo's maxCredBlobLength, or the spec's minimum if it is missing. */
export function maxCredBlobLength(info: ExtensionInfo): number {
  return info.maxCredBlobLength ?? MIN_CRED_BLOB_LENGTH;
}

/** Options of {@link credBlobInput}. */
export interface CredBlobInputOptions {
  /** The key's getInfo. */
  info: ExtensionInfo;
  /** The bytes to store with the new credential (WebAuthn's `credBlob` input). */
  blob: Uint8Array;
}

/**
 * The makeCredential input `credBlob: blob`. Refuses before sending when the key lacks the extension
 * (ClientError 'device-not-supported') or the blob exceeds maxCredBlobLength (ClientError 'bad-request'), since the
 * key would otherwise make the credential and quietly drop the blob.
 */
export function credBlobInput(options: CredBlobInputOptions): ExtensionInput {
  const { info, blob } = options;
  if (!isCredBlobSupported(info))
    throw new ClientError(
      'device-not-supported',
      'This key cannot store a credBlob (it lacks the credBlob extension).',
    );
  const max = maxCredBlobLength(info);
  if (blob.length > max)
    throw new ClientError('bad-request', `The credBlob is ${blob.length} bytes; this key stores at most ${max}.`);
  return { id: ExtensionId.credBlob, input: blob };
}

/** The getAssertion input `credBlob: true` (WebAuthn's `getCredBlob`): ask for the stored blob. */
export function getCredBlobInput(): ExtensionInput {
  return { id: ExtensionId.credBlob, input: true };
}

/** makeCredential output: whether the key stored the blob; undefined when it did not say. */
export function parseCredBlobStored(extensions: CborMap | undefined): boolean | undefined {
  return extensions ? optBool(extensions, ExtensionId.credBlob, EXTENSION_OUTPUTS) : undefined;
}

/** getAssertion output: the stored blob (empty when the credential has none); undefined when the key did not say. */
export function parseCredBlobOutput(extensions: CborMap | undefined): Uint8Array | undefined {
  return extensions ? optBytes(extensions, ExtensionId.credBlob, EXTENSION_OUTPUTS) : undefined;
}
