// The Argon2id KDF (RFC 9106) for the vault's password and recovery slots: its parameters, the floor, a derivation.

import { hashRaw } from '@node-rs/argon2';

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Passes over the memory. */
  t: number;
  /** Lanes. */
  p: number;
}

/**
 * m = 19 MiB, t = 2, p = 1: OWASP's Password Storage Cheat Sheet minimum for Argon2id. Calibration never goes below it,
 * and a slot holding weaker parameters is refused as damaged: only someone who edited the file lowers them.
 */
export const MIN_ARGON2_PARAMS: Readonly<Argon2Params> = { m: 19 * 1024, t: 2, p: 1 };

/** RFC 9106 section 3.1: Argon2id is 2 in @node-rs/argon2's Algorithm enum (a const enum, not importable here). */
const ARGON2ID = 2;

/** Whether `params` cost less than `floor` in memory (m) or in time (m * t). */
export function isWeakerArgon2(params: Argon2Params, floor: Argon2Params): boolean {
  return params.m < floor.m || params.m * params.t < floor.m * floor.t || params.p < 1;
}

export function describeArgon2(params: Argon2Params): string {
  return `m=${params.m} KiB, t=${params.t}, p=${params.p}`;
}

/** A 32-byte Argon2id (version 0x13) output, computed off the main thread. Zero it when done. */
export function argon2id(secret: Uint8Array, salt: Uint8Array, params: Argon2Params): Promise<Buffer> {
  return hashRaw(secret, {
    salt,
    memoryCost: params.m,
    timeCost: params.t,
    parallelism: params.p,
    outputLen: 32,
    algorithm: ARGON2ID,
  });
}
