// The largeBlobKey extension (CTAP 2.1 section 12.3): the per-credential key that seals the credential's large blob entry.

import { ProtocolError } from '../../errors.js';
import { ExtensionId, supportsExtension, type ExtensionInfo, type ExtensionInput } from './extension.js';

/** Section 12.3: a largeBlobKey is 32 bytes (an AES-256-GCM key). */
export const LARGE_BLOB_KEY_SIZE = 32;

export function isLargeBlobKeySupported(info: ExtensionInfo): boolean {
  return supportsExtension(info, ExtensionId.largeBlobKey);
}

/** The makeCredential and getAssertion input `largeBlobKey: true` (section 12.3 allows no other value). */
export function largeBlobKeyInput(): ExtensionInput {
  return { id: ExtensionId.largeBlobKey, input: true };
}

/**
 * The key from a makeCredential (response key 0x05) or getAssertion (0x07) answer; unlike other outputs it is not in
 * the authenticator data, so nobody else sees it. Undefined when the key sent none (the credential has no large blob key).
 */
export function parseLargeBlobKeyOutput(response: {
  readonly largeBlobKey?: Uint8Array | undefined;
}): Uint8Array | undefined {
  const key = response.largeBlobKey;
  if (key === undefined) return undefined;
  if (key.length !== LARGE_BLOB_KEY_SIZE) {
    throw new ProtocolError(`largeBlobKey is ${key.length} bytes, expected ${LARGE_BLOB_KEY_SIZE}`);
  }
  return key;
}
