// Parses authenticator data and checks the RP ID hash and the UP and UV flags against the policy (WebAuthn L3 sections 7.1, 7.2).

import { createHash } from 'node:crypto';
import { type AuthenticatorData, equalBytes, parseAuthenticatorData, toHex } from '../../../ctap/index.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import type { UserVerificationPolicy } from '../settings/rpSettings.js';

export interface CheckAuthenticatorDataOptions {
  authData: Uint8Array;
  rpId: string;
  userVerification: UserVerificationPolicy;
  /** For the messages: "registration" or "sign-in". */
  ceremony: string;
  /** A key alone signs in: user verification is required by that, not by the policy. @default false */
  keyAlone?: boolean;
  /** How to get in anyway (userVerificationWayOut), ending the refusal for a missing UV flag. */
  userVerificationWayOut?: string;
}

export function checkAuthenticatorData(options: CheckAuthenticatorDataOptions): AuthenticatorData {
  let authData: AuthenticatorData;
  try {
    // Lenient CBOR: the COSE key inside comes from a client we do not control; its bytes are kept exactly as sent.
    authData = parseAuthenticatorData(options.authData, { lenient: true });
  } catch (error) {
    throw new RelyingPartyError(
      'authenticator-data-invalid',
      `the ${options.ceremony} authenticator data is malformed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const expected = createHash('sha256').update(options.rpId).digest();
  if (!equalBytes(authData.rpIdHash, expected)) {
    throw new RelyingPartyError(
      'rp-id-mismatch',
      `the authenticator data's rpIdHash is ${toHex(authData.rpIdHash).slice(0, 16)}..., expected SHA-256("${options.rpId}") = ${toHex(expected).slice(0, 16)}...: the key answered for another RP ID`,
    );
  }
  if (!authData.flags.up) {
    throw new RelyingPartyError(
      'user-presence-missing',
      `the authenticator data has the UP flag clear: nobody touched the key, and every ${options.ceremony} needs a touch`,
    );
  }
  if (options.userVerification === 'required' && !authData.flags.uv) {
    const wayOut = options.userVerificationWayOut === undefined ? '' : ` ${options.userVerificationWayOut}`;
    throw new RelyingPartyError(
      'user-verification-missing',
      `${options.keyAlone === true ? 'a key alone signs in only with user verification' : 'the user verification policy is "required"'} but the authenticator data has the UV flag clear: the key did not check a PIN or fingerprint.${wayOut}`,
    );
  }
  return authData;
}
