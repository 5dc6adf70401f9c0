// Hashes a password or recovery code with scrypt and a fresh random salt, recording the parameters beside the hash.

import { randomBytes } from 'node:crypto';
import { scryptAsync } from './scryptAsync.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams, type SecretHash } from './secretHash.js';

const SALT_BYTES = 16;
const HASH_BYTES = 32;

export interface HashSecretOptions {
  /** The secret's bytes (see secretBytes); not zeroed here, the caller owns them. */
  secret: Uint8Array;
  /** @default DEFAULT_SCRYPT_PARAMS */
  params?: ScryptParams;
}

export async function hashSecret(options: HashSecretOptions): Promise<SecretHash> {
  const { n, r, p } = options.params ?? DEFAULT_SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(options.secret, salt, HASH_BYTES, { n, r, p });
  try {
    return { algorithm: 'scrypt', n, r, p, salt: salt.toString('base64'), hash: hash.toString('base64') };
  } finally {
    hash.fill(0);
  }
}

