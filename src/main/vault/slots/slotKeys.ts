// How each slot type turns its factor into the 32-byte key that wraps the master key or a share (docs/vault-format.md).

import { hkdfSync } from 'node:crypto';
import { secretBytes, type Secret } from '../../secrets/secretBytes.js';
import { zeroize } from '../../secrets/zeroize.js';
import { argon2id, type Argon2Params } from '../crypto/argon2id.js';

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
