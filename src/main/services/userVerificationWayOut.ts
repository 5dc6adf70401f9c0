// Adds the relying party's way out to a key's "user verification required" refusal, which the WebAuthn client raises before the relying party sees anything.

import { ClientError } from '../../ctap/index.js';
import type { RelyingParty } from '../rp/index.js';

/** Other errors pass through unchanged. */
export function withUserVerificationWayOut(error: unknown, rp: RelyingParty, options: { keyAlone: boolean }): unknown {
  if (!(error instanceof ClientError) || error.reason !== 'uv-required') return error;
  return new ClientError('uv-required', `${error.message} ${rp.userVerificationWayOut(options)}`, { cause: error });
}
