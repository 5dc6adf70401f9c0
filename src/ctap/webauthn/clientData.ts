// CollectedClientData (WebAuthn Level 3 section 5.8.1): clientDataJSON in the spec's limited serialization, and its SHA-256 hash.

import { createHash } from 'node:crypto';
import { toBase64Url } from '../bytes.js';

export type ClientDataType = 'webauthn.create' | 'webauthn.get';

export interface CollectedClientData {
  /** The exact UTF-8 bytes sent to the relying party (response.clientDataJSON). */
  json: Uint8Array;
  /** SHA-256 of `json`: the clientDataHash the key signs. */
  hash: Uint8Array;
}

const textEncoder = new TextEncoder();

/**
 * Serializes {type, challenge, origin, crossOrigin: false} in the member order and string encoding of section 5.8.1.1,
 * which relying parties that check clientDataJSON as bytes (rather than parsing it) depend on. This client is never
 * embedded in another origin, so crossOrigin is always false and topOrigin never present.
 */
export function collectClientData(type: ClientDataType, challenge: Uint8Array, origin: string): CollectedClientData {
  const text =
    `{"type":${ccdToString(type)},"challenge":${ccdToString(toBase64Url(challenge))},` +
    `"origin":${ccdToString(origin)},"crossOrigin":false}`;
  const json = textEncoder.encode(text);
  return { json, hash: new Uint8Array(createHash('sha256').update(json).digest()) };
}

/**
 * CCDToString (section 5.8.1.2): a JSON string, but every code point below U+0020 is written \u00xx in lower-case hex,
 * where JSON.stringify would write \n, \t and friends.
 */
export function ccdToString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out + '"';
}
