// What the extension helpers share: identifiers, the getInfo part they read, and the shape of one extension input.

import type { CborInput } from '../../cbor/encode.js';
import { ClientError } from '../../errors.js';

/** CTAP 2.1 section 12 (and CTAP 2.2 for hmac-secret-mc): extension identifiers as they appear on the wire and in getInfo. */
export const ExtensionId = {
  credProtect: 'credProtect',
  credBlob: 'credBlob',
  largeBlobKey: 'largeBlobKey',
  minPinLength: 'minPinLength',
  hmacSecret: 'hmac-secret',
  hmacSecretMc: 'hmac-secret-mc',
} as const;

export type ExtensionId = (typeof ExtensionId)[keyof typeof ExtensionId];

/** The part of getInfo the extension helpers read, so a full AuthenticatorInfo or a hand-made one will do. */
export interface ExtensionInfo {
  readonly extensions: readonly string[];
  readonly maxCredBlobLength?: number;
}

/** One extension's CTAP input, ready to go into a request's extensions map. */
export interface ExtensionInput {
  readonly id: ExtensionId;
  readonly input: CborInput;
}

/** Where extension outputs are read from, for error messages. */
export const EXTENSION_OUTPUTS = 'authenticator data extensions';

export function supportsExtension(info: ExtensionInfo, id: ExtensionId): boolean {
  return info.extensions.includes(id);
}

/**
 * The `extensions` parameter of makeCredential or getAssertion from the inputs given; `undefined` entries (an
 * extension the caller decided not to send) are skipped. The CBOR encoder puts the keys in canonical order.
 */
export function extensionMap(...inputs: (ExtensionInput | undefined)[]): Map<string, CborInput> {
  const map = new Map<string, CborInput>();
  for (const entry of inputs) {
    if (!entry) continue;
    if (map.has(entry.id)) throw new ClientError('bad-request', `The extension ${entry.id} was given twice.`);
    map.set(entry.id, entry.input);
  }
  return map;
}
