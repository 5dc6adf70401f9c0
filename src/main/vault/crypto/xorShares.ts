// The two XOR shares of the master key in password-and-key mode: one under the password, the other under each key.

import { hkdfSync } from 'node:crypto';

/**
 * The password's share is HKDF-SHA256(master, info "latchkey-vault/v1/password-share"), the key share its XOR with
 * the master key. Derived rather than random, so whoever holds the master key can wrap a share for a new slot; either
 * share alone is a pseudorandom value from which the master key cannot be computed.
 */
export function passwordShare(master: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'latchkey-vault/v1/password-share', 32));
}

export function keyShare(master: Uint8Array): Buffer {
  const share = passwordShare(master);
  for (let i = 0; i < share.length; i++) share[i] = share[i]! ^ master[i]!;
  return share;
}

export function joinShares(first: Uint8Array, second: Uint8Array): Buffer {
  if (first.length !== second.length)
    throw new RangeError(`key shares must have the same length, got ${first.length} and ${second.length}`);
  const key = Buffer.alloc(first.length);
  for (let i = 0; i < key.length; i++) key[i] = first[i]! ^ second[i]!;
  return key;
}
