// Checks a password or recovery code against its stored scrypt hash in constant time.

import { timingSafeEqual } from 'node:crypto';
import { scryptAsync } from './scryptAsync.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams, type SecretHash } from './secretHash.js';

export interface VerifySecretOptions {
  /** The candidate's bytes (see secretBytes); not zeroed here, the caller owns them. */
  secret: Uint8Array;
  stored: SecretHash;
  /** The parameters new hashes get; a match made with weaker ones reports `rehash`. @default DEFAULT_SCRYPT_PARAMS */
  current?: ScryptParams;
}

export interface VerifySecretResult {
  matches: boolean;
  /** The secret matched, but its hash was made with other parameters: hash it again while it is at hand. */
  rehash: boolean;
}

export async function verifySecret(options: VerifySecretOptions): Promise<VerifySecretResult> {
  const { stored } = options;
  const current = options.current ?? DEFAULT_SCRYPT_PARAMS;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scryptAsync(options.secret, Buffer.from(stored.salt, 'base64'), expected.length, stored);
  try {
    const matches = timingSafeEqual(actual, expected);
    const rehash = matches && (stored.n !== current.n || stored.r !== current.r || stored.p !== current.p);
    return { matches, rehash };
  } finally {
    actual.fill(0);
  }
}
