// Builds a live slot record that wraps the master key or the share its type holds in the vault's mode.

import { randomBytes } from 'node:crypto';
import type { OsKeychain } from '../../secrets/OsKeychain.js';
import type { Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import { seal } from '../crypto/aesGcm.js';
import { slotAad, type VaultHeader } from '../crypto/additionalData.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import type { Hlc } from '../clock/HybridLogicalClock.js';
import { base64 } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import type { Fido2Slot, LiveSlot, OsKeychainSlot, PasswordSlot } from './slotSchema.js';
import { shareBytes, shareFor } from './shareFor.js';
import { makeRecoverySlot } from './recoverySlot.js';
import { fido2SlotKey, newOsKeychainSlotKey, passwordSlotKey, type KeyOutput } from './slotKeys.js';

/**
 * What a new slot is made from. A key's output must be for `salt` (newFido2Salt), asked with `uv` as given. An
 * os-keychain slot belongs to the key `credentialId` (a key without hmac-secret, which the relying party verified):
 * its random slot key is sealed by `keychain`.
 */
export type SlotSpec =
  | { type: 'password'; password: Secret; params: Argon2Params }
  /** `params` stretch both the code and the password (recoverySlot.ts). */
  | { type: 'recovery'; recoveryCode: Secret; password: Secret; params: Argon2Params }
  | { type: 'fido2-hmac-secret'; key: KeyOutput; salt: Uint8Array }
  | { type: 'os-keychain'; credentialId: Uint8Array; keychain: OsKeychain | undefined };

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
  const { slotKey, members } = await slotKeyFor(spec);
  const content = shareBytes(master, share);
  try {
    const sealed = seal(slotKey, content, slotAad(header, id, spec.type, share));
    return { ...members, hlc, deleted: false, share, nonce: base64(sealed.nonce), wrapped: base64(sealed.ciphertext) };
  } finally {
    zeroize(slotKey);
    zeroize(content);
  }
}

type TypeMembers =
  | Pick<PasswordSlot, 'type' | 'kdf'>
  | Pick<Fido2Slot, 'type' | 'credentialId' | 'salt' | 'uv'>
  | Pick<OsKeychainSlot, 'type' | 'credentialId' | 'sealed'>;

/** The slot key (zeroed by the caller) and the members of the slot's type that say how to get it again. */
async function slotKeyFor(
  spec: Exclude<SlotSpec, { type: 'recovery' }>,
): Promise<{ slotKey: Buffer; members: TypeMembers }> {
  switch (spec.type) {
    case 'password': {
      const salt = randomBytes(16);
      const slotKey = await passwordSlotKey(spec.password, salt, spec.params);
      return { slotKey, members: { type: 'password', kdf: { ...spec.params, salt: base64(salt) } } };
    }
    case 'fido2-hmac-secret':
      return {
        slotKey: fido2SlotKey(spec.key, spec.salt),
        members: {
          type: 'fido2-hmac-secret',
          credentialId: base64(spec.key.credentialId),
          salt: base64(spec.salt),
          uv: spec.key.uv,
        },
      };
    case 'os-keychain': {
      const { slotKey, sealed } = await newOsKeychainSlotKey(spec.keychain);
      return {
        slotKey,
        members: { type: 'os-keychain', credentialId: base64(spec.credentialId), sealed: base64(sealed) },
      };
    }
  }
}
