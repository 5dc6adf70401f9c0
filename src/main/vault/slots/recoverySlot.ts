// The recovery slot's layers: a random secret under the code and under the master key, the key under secret + password.

import { randomBytes } from 'node:crypto';
import type { Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import type { Hlc } from '../clock/HybridLogicalClock.js';
import { open, seal } from '../crypto/aesGcm.js';
import { slotAad, type VaultHeader } from '../crypto/additionalData.js';
import type { Argon2Params } from '../crypto/argon2id.js';
import { subkey } from '../crypto/subkeys.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { base64, bytes } from '../file/encodedBytes.js';
import type { VaultMode } from '../file/vaultFileSchema.js';
import type { RecoverySlot, SlotShare } from './slotSchema.js';
import { shareBytes, shareFor } from './shareFor.js';
import { recoveryCodeKey, recoverySlotKey } from './slotKeys.js';

/** Where a slot sits: the vault it belongs to and its id (both bound into every layer's additional data). */
interface SlotPlace {
  header: VaultHeader;
  id: string;
}

/** Which factor a failed recovery attempt got wrong: the code opens no secret, or the password no key with it. */
export type RecoveryMiss = 'recovery code' | 'password';

/**
 * A recovery slot with a fresh random secret: the secret under Argon2id(code) and under the master key, the master key
 * (all of it in every mode: recovery replaces lost keys) under the secret together with the password.
 */
export async function makeRecoverySlot(
  master: Uint8Array,
  context: SlotPlace & { mode: VaultMode; hlc: Hlc },
  spec: { recoveryCode: Secret; password: Secret; params: Argon2Params },
): Promise<RecoverySlot> {
  const { header, id, mode, hlc } = context;
  const share = shareFor(mode, 'recovery');
  const secret = randomBytes(32);
  const codeSalt = randomBytes(16);
  const codeKey = await recoveryCodeKey(spec.recoveryCode, codeSalt, spec.params);
  const masterKey = subkey(master, 'recoverySecret');
  try {
    const underCode = seal(codeKey, secret, slotAad(header, id, 'recovery', share, 'code'));
    const underMaster = seal(masterKey, secret, slotAad(header, id, 'recovery', share, 'master'));
    const layer = await passwordLayer(master, { header, id }, share, secret, spec);
    return {
      type: 'recovery',
      hlc,
      deleted: false,
      share,
      ...layer,
      secretUnderCode: {
        kdf: { ...spec.params, salt: base64(codeSalt) },
        nonce: base64(underCode.nonce),
        wrapped: base64(underCode.ciphertext),
      },
      secretUnderMaster: { nonce: base64(underMaster.nonce), wrapped: base64(underMaster.ciphertext) },
    };
  } finally {
    zeroize(secret);
    zeroize(codeKey);
    zeroize(masterKey);
  }
}

/**
 * The slot with its password layer made again for `password` (a password change): the secret comes from the open
 * vault's master key, so neither the code nor the old password is needed, and the code layer stays as it is.
 */
export async function rewrapRecoveryPassword(
  master: Uint8Array,
  context: SlotPlace & { hlc: Hlc },
  slot: RecoverySlot,
  spec: { password: Secret; params: Argon2Params },
): Promise<RecoverySlot> {
  const secret = recoverySecretFromMaster(master, context, slot);
  try {
    const layer = await passwordLayer(master, context, slot.share, secret, spec);
    return { ...slot, hlc: context.hlc, ...layer };
  } finally {
    zeroize(secret);
  }
}

/** Whether `password` is the one the slot's password layer was made with (checked before a new code replaces it). */
export async function recoveryPasswordMatches(
  master: Uint8Array,
  place: SlotPlace,
  slot: RecoverySlot,
  password: Secret,
): Promise<boolean> {
  const secret = recoverySecretFromMaster(master, place, slot);
  try {
    const opened = await openPasswordLayer(place, slot, secret, password);
    if (!opened) return false;
    zeroize(opened);
    return true;
  } finally {
    zeroize(secret);
  }
}

/** What the slot wraps, opened from the code and the password, or which of the two is wrong. Zero `share` when done. */
export async function openRecoverySlot(
  place: SlotPlace,
  slot: RecoverySlot,
  factors: { recoveryCode: Secret; password: Secret },
): Promise<{ share: Buffer } | { miss: RecoveryMiss }> {
  const { kdf, nonce, wrapped } = slot.secretUnderCode;
  const codeKey = await recoveryCodeKey(factors.recoveryCode, bytes(kdf.salt), kdf);
  let secret: Buffer | undefined;
  try {
    const aad = slotAad(place.header, place.id, 'recovery', slot.share, 'code');
    secret = open(codeKey, { nonce: bytes(nonce), ciphertext: bytes(wrapped) }, aad);
  } finally {
    zeroize(codeKey);
  }
  if (!secret || secret.length !== 32) return { miss: 'recovery code' };
  try {
    const share = await openPasswordLayer(place, slot, secret, factors.password);
    return share ? { share } : { miss: 'password' };
  } finally {
    zeroize(secret);
  }
}

async function passwordLayer(
  master: Uint8Array,
  place: SlotPlace,
  share: SlotShare,
  secret: Uint8Array,
  spec: { password: Secret; params: Argon2Params },
): Promise<Pick<RecoverySlot, 'kdf' | 'nonce' | 'wrapped'>> {
  const salt = randomBytes(16);
  const key = await recoverySlotKey(secret, spec.password, salt, spec.params);
  const content = shareBytes(master, share);
  try {
    const sealed = seal(key, content, slotAad(place.header, place.id, 'recovery', share));
    return {
      kdf: { ...spec.params, salt: base64(salt) },
      nonce: base64(sealed.nonce),
      wrapped: base64(sealed.ciphertext),
    };
  } finally {
    zeroize(key);
    zeroize(content);
  }
}

async function openPasswordLayer(
  place: SlotPlace,
  slot: RecoverySlot,
  secret: Uint8Array,
  password: Secret,
): Promise<Buffer | undefined> {
  const key = await recoverySlotKey(secret, password, bytes(slot.kdf.salt), slot.kdf);
  try {
    const aad = slotAad(place.header, place.id, 'recovery', slot.share);
    return open(key, { nonce: bytes(slot.nonce), ciphertext: bytes(slot.wrapped) }, aad);
  } finally {
    zeroize(key);
  }
}

/** The slot's secret from its master-key layer; an open vault whose layer fails was edited after its MAC was checked. */
function recoverySecretFromMaster(master: Uint8Array, place: SlotPlace, slot: RecoverySlot): Buffer {
  const key = subkey(master, 'recoverySecret');
  try {
    const { nonce, wrapped } = slot.secretUnderMaster;
    const aad = slotAad(place.header, place.id, 'recovery', slot.share, 'master');
    const secret = open(key, { nonce: bytes(nonce), ciphertext: bytes(wrapped) }, aad);
    if (!secret || secret.length !== 32)
      throw new VaultDamagedError({
        part: `slot ${place.id}`,
        problem: 'has a recovery secret that does not open under the master key',
      });
    return secret;
  } finally {
    zeroize(key);
  }
}
