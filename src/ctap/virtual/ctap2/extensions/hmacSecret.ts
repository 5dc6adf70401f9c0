// The hmac-secret extension's getAssertion output (CTAP 2.2 section 12.5): HMAC-SHA-256 of the platform's salts under the credential's CredRandom.

import { createHmac } from 'node:crypto';
import { concatBytes, zeroize } from '../../../bytes.js';
import type { CborMap } from '../../../cbor/types.js';
import { CtapStatus } from '../../../ctap2/status.js';
import { CtapStatusError, type CommandContext } from '../context.js';
import { decapsulate, decryptOr } from '../pinUvAuth.js';

/** The hmac-secret input of getAssertion: the platform's key agreement key, the encrypted salts and their MAC. */
export interface HmacSecretInput {
  keyAgreement: CborMap;
  saltEnc: Uint8Array;
  saltAuth: Uint8Array;
  pinUvAuthProtocol: number;
}

const SALT_SIZE = 32;

/**
 * The encrypted output for one credential: saltAuth must verify over saltEnc with the shared secret
 * (CTAP2_ERR_PIN_AUTH_INVALID otherwise), and saltEnc must hold one or two 32-byte salts (CTAP1_ERR_INVALID_LENGTH).
 * `credRandom` is the credential's CredRandomWithUV or CredRandomWithoutUV; the caller zeroes it.
 */
export function hmacSecretOutput(ctx: CommandContext, input: HmacSecretInput, credRandom: Uint8Array): Uint8Array {
  const shared = decapsulate(ctx, input.pinUvAuthProtocol, input.keyAgreement);
  let salts: Uint8Array | undefined;
  const outputs: Uint8Array[] = [];
  try {
    if (!shared.protocol.verify(shared.secret, input.saltEnc, input.saltAuth)) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, 'hmac-secret saltAuth does not verify');
    }
    salts = decryptOr(shared, input.saltEnc, CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    if (salts.length !== SALT_SIZE && salts.length !== 2 * SALT_SIZE) {
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_LENGTH, `hmac-secret salts are ${salts.length} bytes, expected 32 or 64`);
    }
    for (let at = 0; at < salts.length; at += SALT_SIZE) {
      outputs.push(new Uint8Array(createHmac('sha256', credRandom).update(salts.subarray(at, at + SALT_SIZE)).digest()));
    }
    const plaintext = concatBytes(...outputs);
    try {
      return shared.protocol.encrypt(shared.secret, plaintext);
    } finally {
      zeroize(plaintext);
    }
  } finally {
    zeroize(shared.secret, salts, ...outputs);
  }
}
