// What the CTAP 2.1 management features share: the part of Ctap2 they use and the PIN/UV auth token that signs their requests.

import { ClientError } from '../errors.js';
import type { Ctap2Like, PinUvAuthToken } from './ClientPin.js';

/** The part of Ctap2 a feature class uses, with the getInfo fields it reads, so any Ctap2 (or a scripted fake) will do. */
export type FeatureCtap2<Info> = Pick<Ctap2Like, 'send'> & { readonly info: Info };

/**
 * The 32 bytes of 0xff that start the pinUvAuthParam message of authenticatorConfig and authenticatorLargeBlobs
 * (CTAP 2.1 sections 6.10.2 and 6.11): they keep such a message from ever equalling a clientDataHash-based one.
 */
export const PIN_UV_AUTH_PREFIX: Uint8Array = new Uint8Array(32).fill(0xff);

/** The token, or a ClientError saying the operation needs one. */
export function requireToken(token: PinUvAuthToken | undefined, what: string): PinUvAuthToken {
  if (token === undefined)
    throw new ClientError('pin-required', `${what} needs a PIN/UV auth token: enter the PIN first.`);
  return token;
}
