// How each slot type turns its factor into the 32-byte key that wraps the master key or a share (docs/vault-format.md).

import { hkdfSync, randomBytes } from 'node:crypto';
import type { OsKeychain } from '../../secrets/OsKeychain.js';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import { argon2id, type Argon2Params } from '../crypto/argon2id.js';
import { VaultDamagedError } from '../errors/VaultDamagedError.js';
import { VaultUnlockError } from '../errors/VaultUnlockError.js';

/** A security key's answer to the slot's salt: hmac-secret (CTAP 2.1 section 12.5) or WebAuthn prf output. */
export interface KeyOutput {
  credentialId: Uint8Array;
  /** Whether user verification was used: the key's output differs with and without it. */
  uv: boolean;
  /** The 32-byte output for the slot's salt. Zeroed by the caller. */
  output: Uint8Array;
}

const RECOVERY_INFO = 'latchkey-vault/v1/recovery';
const FIDO2_INFO = 'latchkey-vault/v1/fido2-hmac-secret';

export async function passwordSlotKey(password: Secret, salt: Uint8Array, params: Argon2Params): Promise<Buffer> {
  const input = secretBytes(password);
  try {
    return await argon2id(input, salt, params);
  } finally {
    zeroize(input);
  }
}

/** The key of a recovery slot's code layer: Argon2id over the code (NFC UTF-8), with that layer's own salt. */
export function recoveryCodeKey(code: Secret, salt: Uint8Array, params: Argon2Params): Promise<Buffer> {
  return passwordSlotKey(code, salt, params);
}

/**
 * HKDF-SHA256(ikm = recovery secret || Argon2id(password), salt = empty, info = "latchkey-vault/v1/recovery"): both
 * 32 bytes long, so the pair cannot be spelled two ways; the secret comes from the code, so neither factor alone
 * yields the key.
 */
export async function recoverySlotKey(
  secret: Uint8Array,
  password: Secret,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Buffer> {
  if (secret.length !== 32) throw new RangeError(`a recovery secret must be 32 bytes, got ${secret.length}`);
  const stretched = await passwordSlotKey(password, salt, params);
  const ikm = Buffer.concat([secret, stretched]);
  try {
    return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), RECOVERY_INFO, 32));
  } finally {
    zeroize(stretched);
    zeroize(ikm);
  }
}

/** HKDF-SHA256(ikm = output, salt = the slot's salt, info = label || 0x00 || u16be(len id) || id || uv byte). */
export function fido2SlotKey(key: KeyOutput, salt: Uint8Array): Buffer {
  if (key.output.length !== 32)
    throw new RangeError(`a security key's hmac-secret output must be 32 bytes, got ${key.output.length}`);
  const label = Buffer.from(FIDO2_INFO, 'utf8');
  const info = Buffer.alloc(label.length + 4 + key.credentialId.length);
  label.copy(info, 0);
  info.writeUInt16BE(key.credentialId.length, label.length + 1);
  Buffer.from(key.credentialId).copy(info, label.length + 3);
  info[info.length - 1] = key.uv ? 1 : 0;
  return Buffer.from(hkdfSync('sha256', key.output, salt, info, 32));
}

/**
 * A random 32-byte key for a new os-keychain slot and the keychain's sealed form of it. The key is drawn afresh for
 * every slot written (a new slot, a reshape, a new master key), so nothing ties it to an earlier one. Zero `slotKey`.
 */
export async function newOsKeychainSlotKey(
  keychain: OsKeychain | undefined,
): Promise<{ slotKey: Buffer; sealed: Uint8Array }> {
  const usable = await usableKeychain(keychain, 'writes');
  const slotKey = randomBytes(32);
  try {
    return { slotKey, sealed: await usable.seal(slotKey) };
  } catch (error) {
    zeroize(slotKey);
    if (error instanceof VaultUnlockError) throw error;
    // The keychain's own error is not repeated: it could quote what it was given.
    throw new VaultUnlockError('missing-factor', 'os keychain', 'The OS keychain refused to seal the slot key.');
  }
}

/**
 * The slot key an os-keychain slot holds, opened by this computer's keychain. Without a keychain (the command line) or
 * with one that cannot be used now, VaultUnlockError says so; a keychain that cannot open the bytes (another user or
 * computer sealed them, or they were changed) is a wrong factor; bytes that open to anything but 32 bytes are damage.
 */
export async function osKeychainSlotKey(
  keychain: OsKeychain | undefined,
  sealed: Uint8Array,
  slotId: string,
): Promise<Buffer> {
  const usable = await usableKeychain(keychain, 'opens');
  let opened: Uint8Array;
  try {
    opened = await usable.open(sealed);
  } catch {
    throw new VaultUnlockError(
      'wrong-factor',
      'os keychain',
      "This computer's OS keychain does not open the key's slot: it was made for another user or computer, or its sealed key was changed.",
    );
  }
  if (opened.length !== 32) {
    const length = opened.length;
    zeroize(opened);
    throw new VaultDamagedError({
      part: `slot ${slotId}`,
      problem: `has a sealed slot key that the OS keychain opens to ${length} bytes, not 32`,
    });
  }
  const slotKey = Buffer.from(opened);
  zeroize(opened);
  return slotKey;
}

/** The keychain, when there is one and it can be used now; else the sentence that says which it is. */
async function usableKeychain(keychain: OsKeychain | undefined, use: 'opens' | 'writes'): Promise<OsKeychain> {
  if (!keychain)
    throw new VaultUnlockError(
      'missing-factor',
      'os keychain',
      use === 'opens'
        ? 'This key opens the vault through the OS keychain, so the vault opens in the desktop app only.'
        : "This key's vault slot goes through the OS keychain, so only the desktop app can write it.",
    );
  const availability = await keychain.available();
  if (!availability.ok)
    throw new VaultUnlockError(
      'missing-factor',
      'os keychain',
      `The OS keychain cannot be used: ${availability.reason}`,
    );
  return keychain;
}
