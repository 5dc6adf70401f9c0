// AES-256-GCM sealing with a fresh 12-byte nonce per call, and opening that answers undefined rather than throwing.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Sealed {
  /** 12 random bytes, never reused under one key (2^-32 collision odds only after 2^32 writes: NIST SP 800-38D 8.3). */
  nonce: Buffer;
  /** The ciphertext followed by the 16-byte tag. */
  ciphertext: Buffer;
}

const TAG_BYTES = 16;

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/** The plaintext, or undefined when the key, nonce, ciphertext or additional data differ from what was sealed. */
export function open(key: Uint8Array, sealed: Sealed, aad: Uint8Array): Buffer | undefined {
  if (sealed.nonce.length !== 12 || sealed.ciphertext.length < TAG_BYTES) return undefined;
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES));
  const plaintext = decipher.update(body);
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    // A failed tag check: the bytes decrypted so far are unauthenticated and must not outlive this call.
    plaintext.fill(0);
    return undefined;
  }
}
