// Builds a live slot record that wraps the master key or the share its type holds in the vault's mode.

import { randomBytes } from 'node:crypto';
import type { Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import { seal } from '../crypto/aesGcm.js';
import { slotAad, type VaultHeader } from '../crypto/additionalData.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import type { Hlc } from '../clock/HybridLogicalClock.js';
import { base64 } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import type { LiveSlot } from './slotSchema.js';
import { shareBytes, shareFor } from './shareFor.js';
import { makeRecoverySlot } from './recoverySlot.js';
import { fido2SlotKey, passwordSlotKey, type KeyOutput } from './slotKeys.js';

/** What a new slot is made from. A key's output must be for `salt` (newFido2Salt), asked with `uv` as given. */
export type SlotSpec =
  | { type: 'password'; password: Secret; params: Argon2Params }
  /** `params` stretch both the code and the password (recoverySlot.ts). */
  | { type: 'recovery'; recoveryCode: Secret; password: Secret; params: Argon2Params }
  | { type: 'fido2-hmac-secret'; key: KeyOutput; salt: Uint8Array };

/** The 32 random bytes a new key slot sends its key (hmac-secret salt1, or prf evalByCredential first). */
export function newFido2Salt(): Buffer {
  return randomBytes(32);
}

export async function makeSlot(
  master: Uint8Array,
  context: { header: VaultHeader; mode: VaultMode; id: string; hlc: Hlc },
  spec: SlotSpec,
): Promise<LiveSlot> {
  if (spec.type === 'recovery') return makeRecoverySlot(master, context, spec);
  const { header, mode, id, hlc } = context;
  const share = shareFor(mode, spec.type);
  const kdfSalt = randomBytes(16);
  const slotKey =
    spec.type === 'password'
      ? await passwordSlotKey(spec.password, kdfSalt, spec.params)
      : fido2SlotKey(spec.key, spec.salt);
  const content = shareBytes(master, share);
  try {
    const sealed = seal(slotKey, content, slotAad(header, id, spec.type, share));
    const common = {
      hlc,
      deleted: false as const,
      share,
      nonce: base64(sealed.nonce),
      wrapped: base64(sealed.ciphertext),
    };
    if (spec.type === 'password')
      return { type: 'password', kdf: { ...spec.params, salt: base64(kdfSalt) }, ...common };
    return {
      type: 'fido2-hmac-secret',
      credentialId: base64(spec.key.credentialId),
      salt: base64(spec.salt),
      uv: spec.key.uv,
      ...common,
    };
  } finally {
    zeroize(slotKey);
    zeroize(content);
  }
}
