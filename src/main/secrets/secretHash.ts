// A password or recovery code as stored: scrypt with a per-secret salt and its parameters, made by hashSecret and checked by verifySecret.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { base64Bytes } from '../store/encodedFields.js';
import { DEFAULT_SCRYPT_PARAMS, scrypt, type ScryptParams } from './scrypt.js';
import { zeroize } from './zeroize.js';

const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const secretHashSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  /** CPU/memory cost, a power of two. */
  n: z
    .number()
    .int()
    .min(2)
    .refine((n) => (n & (n - 1)) === 0, { message: 'scrypt n must be a power of two' }),
  /** Block size. */
  r: z.number().int().min(1),
  /** Parallelization. */
  p: z.number().int().min(1),
  salt: base64Bytes,
  hash: base64Bytes,
});

export type SecretHash = z.infer<typeof secretHashSchema>;

export interface HashSecretOptions {
  /** The secret's bytes (see secretBytes); not zeroed here, the caller owns them. */
  secret: Uint8Array;
  /** @default DEFAULT_SCRYPT_PARAMS */
  params?: ScryptParams;
}

/** A fresh random salt, the parameters recorded beside the hash so they can be raised later. */
export async function hashSecret(options: HashSecretOptions): Promise<SecretHash> {
  const { n, r, p } = options.params ?? DEFAULT_SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(options.secret, salt, HASH_BYTES, { n, r, p });
  try {
    return { algorithm: 'scrypt', n, r, p, salt: salt.toString('base64'), hash: hash.toString('base64') };
  } finally {
    zeroize(hash);
  }
}

export interface VerifySecretOptions {
  /** The candidate's bytes (see secretBytes); not zeroed here, the caller owns them. */
  secret: Uint8Array;
  stored: SecretHash;
  /** The parameters new hashes get; a match made with other ones reports `rehash`. @default DEFAULT_SCRYPT_PARAMS */
  current?: ScryptParams;
}

export interface VerifySecretResult {
  matches: boolean;
  /** The secret matched, but its hash was made with other parameters: hash it again while it is at hand. */
  rehash: boolean;
}

/** Compares in constant time; costs the stored parameters' scrypt work whether or not the secret matches. */
export async function verifySecret(options: VerifySecretOptions): Promise<VerifySecretResult> {
  const { stored } = options;
  const current = options.current ?? DEFAULT_SCRYPT_PARAMS;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scrypt(options.secret, Buffer.from(stored.salt, 'base64'), expected.length, stored);
  try {
    const matches = actual.length === expected.length && timingSafeEqual(actual, expected);
    const rehash = matches && (stored.n !== current.n || stored.r !== current.r || stored.p !== current.p);
    return { matches, rehash };
  } finally {
    zeroize(actual);
  }
}

/** The same scrypt work as verifySecret against a hash made with `params`, for a secret there is nothing to check against. */
export async function spendVerifyTime(secret: Uint8Array, params: ScryptParams): Promise<void> {
  zeroize(await scrypt(secret, randomBytes(SALT_BYTES), HASH_BYTES, params));
}
