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

const RECOVERY_PREFIX = 'latchkey-vault/v1/recovery';
const FIDO2_INFO = 'latchkey-vault/v1/fido2-hmac-secret';

export async function passwordSlotKey(password: Secret, salt: Uint8Array, params: Argon2Params): Promise<Buffer> {
  const input = secretBytes(password);
  try {
    return await argon2id(input, salt, params);
  } finally {
    zeroize(input);
  }
}

/**
 * Argon2id over prefix || 0x00 || u32be(len code) || code || u32be(len password) || password: the prefix keeps it
 * apart from the password slot's input, the lengths keep (code, password) pairs from running into each other.
 */
export async function recoverySlotKey(
  code: Secret,
  password: Secret,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Buffer> {
  const codeBytes = secretBytes(code);
  const passwordBytes = secretBytes(password);
  const input = Buffer.alloc(RECOVERY_PREFIX.length + 9 + codeBytes.length + passwordBytes.length);
  try {
    let at = input.write(RECOVERY_PREFIX, 0, 'utf8') + 1;
    at = input.writeUInt32BE(codeBytes.length, at);
    at += codeBytes.copy(input, at);
    at = input.writeUInt32BE(passwordBytes.length, at);
    passwordBytes.copy(input, at);
    return await argon2id(input, salt, params);
  } finally {
    zeroize(codeBytes);
    zeroize(passwordBytes);
    zeroize(input);
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
