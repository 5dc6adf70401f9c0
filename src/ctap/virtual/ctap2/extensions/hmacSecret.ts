// hmac-secret (CTAP 2.1 section 12.5, 2.2 section 12.7) and hmac-secret-mc (CTAP 2.2 section 12.8) on the virtual key: the salt input, and HMAC-SHA-256 of the salts under a credential's CredRandom.

import { createHmac } from 'node:crypto';
import { concatBytes, zeroize } from '../../../bytes.js';
import type { CborValue } from '../../../cbor/types.js';
import type { HmacSecretInput } from './extensionInputs.js';
import { CtapStatus } from '../../../ctapStatus.js';
import { hasPinUvAuthProtocol } from '../../features.js';
import { CtapStatusError } from '../CtapStatusError.js';
import { type CommandContext } from '../context.js';
import { optUint, reqBytes, reqMap } from '../params.js';
import { decapsulate, decryptOr } from '../pinUvAuth.js';

/** Keys of the salt input map (the same for hmac-secret and hmac-secret-mc). */
const HmacSecretInputKey = { keyAgreement: 0x01, saltEnc: 0x02, saltAuth: 0x03, pinUvAuthProtocol: 0x04 } as const;

const SALT_SIZE = 32;

/**
 * Reads the salt input of `extension`: a map (CTAP2_ERR_CBOR_UNEXPECTED_TYPE otherwise) whose pinUvAuthProtocol, one
 * by default, the key must speak (CTAP1_ERR_INVALID_PARAMETER otherwise).
 */
export function readHmacSecretInput(
  ctx: CommandContext,
  value: CborValue,
  extension: 'hmac-secret' | 'hmac-secret-mc',
): HmacSecretInput {
  if (!(value instanceof Map))
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, `${extension} input is not a map`);
  // Protocol one is the default: CTAP 2.0 platforms do not send the member.
  const pinUvAuthProtocol = optUint(value, HmacSecretInputKey.pinUvAuthProtocol) ?? 1;
  if (!hasPinUvAuthProtocol(ctx.profile, pinUvAuthProtocol)) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      `${extension} pinUvAuthProtocol ${pinUvAuthProtocol} is not supported`,
    );
  }
  return {
    keyAgreement: reqMap(value, HmacSecretInputKey.keyAgreement),
    saltEnc: reqBytes(value, HmacSecretInputKey.saltEnc),
    saltAuth: reqBytes(value, HmacSecretInputKey.saltAuth),
    pinUvAuthProtocol,
  };
}

/**
 * The encrypted output for one credential, as getAssertion's hmac-secret and makeCredential's hmac-secret-mc return it.
 * Two secrets per credential (CredRandomWithUV / WithoutUV), so an output obtained without user verification reveals
 * nothing about one with it.
 */
export function credentialHmacSecret(
  ctx: CommandContext,
  input: HmacSecretInput,
  credentialId: Uint8Array,
  userVerified: boolean,
): Uint8Array {
  const credRandom = ctx.state.credRandom(credentialId, userVerified);
  try {
    return hmacSecretOutput(ctx, input, credRandom);
  } finally {
    zeroize(credRandom);
  }
}

/**
 * saltAuth must verify over saltEnc with the shared secret (CTAP2_ERR_PIN_AUTH_INVALID otherwise), and saltEnc must
 * hold one or two 32-byte salts (CTAP1_ERR_INVALID_LENGTH); each salt is HMAC'd on its own, and the outputs go back
 * encrypted with the shared secret.
 */
function hmacSecretOutput(ctx: CommandContext, input: HmacSecretInput, credRandom: Uint8Array): Uint8Array {
  const shared = decapsulate(ctx, input.pinUvAuthProtocol, input.keyAgreement);
  let salts: Uint8Array | undefined;
  const outputs: Uint8Array[] = [];
  try {
    if (!shared.protocol.verify(shared.secret, input.saltEnc, input.saltAuth)) {
      throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, 'hmac-secret saltAuth does not verify');
    }
    salts = decryptOr(shared, input.saltEnc, CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    if (salts.length !== SALT_SIZE && salts.length !== 2 * SALT_SIZE) {
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_LENGTH,
        `hmac-secret salts are ${salts.length} bytes, expected 32 or 64`,
      );
    }
    for (let at = 0; at < salts.length; at += SALT_SIZE) {
      outputs.push(
        new Uint8Array(
          createHmac('sha256', credRandom)
            .update(salts.subarray(at, at + SALT_SIZE))
            .digest(),
        ),
      );
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
