// The extension inputs a virtual getAssertion read from the request and remembers for getNextAssertion.

import type { CborMap } from '../../../cbor/types.js';

/**
 * The salt input of getAssertion's hmac-secret, and of makeCredential's hmac-secret-mc, which takes the same map: the
 * platform's key agreement key, the encrypted salts and their MAC.
 */
export interface HmacSecretInput {
  keyAgreement: CborMap;
  saltEnc: Uint8Array;
  saltAuth: Uint8Array;
  pinUvAuthProtocol: number;
}

/** What the platform asked for, among the extensions this key advertises. */
export interface AssertionExtensionInputs {
  hmacSecret?: HmacSecretInput;
  credBlob: boolean;
  largeBlobKey: boolean;
}
