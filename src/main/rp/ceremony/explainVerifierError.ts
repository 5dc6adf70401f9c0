// Turns an error thrown by @simplewebauthn/server into a RelyingPartyError with the reason its message describes.

import { RelyingPartyError, type RelyingPartyErrorReason } from '../RelyingPartyError.js';

// SimpleWebAuthn 14 signals everything with plain Errors; its messages are the only thing to go by. Latchkey checks the
// common cases itself first, so these rows matter only for what it leaves to the library (attestation statements).
const PATTERNS: readonly [RegExp, RelyingPartyErrorReason][] = [
  [/RP ID hash/i, 'rp-id-mismatch'],
  [/user presence|user not present/i, 'user-presence-missing'],
  [/user verification/i, 'user-verification-missing'],
  [/public key alg|unsupported.*alg|alg.*not supported/i, 'algorithm-not-allowed'],
  [/signature/i, 'signature-invalid'],
  [/attestation|attStmt|x5c|certificate/i, 'attestation-invalid'],
  [/authData|authenticator data|extension/i, 'authenticator-data-invalid'],
];

export function explainVerifierError(error: unknown, what: string): RelyingPartyError {
  if (error instanceof RelyingPartyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? 'response-malformed';
  return new RelyingPartyError(reason, `the ${what} response was refused: ${message}`, { cause: error });
}
