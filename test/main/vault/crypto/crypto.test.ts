import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../../../src/main/vault/crypto/aesGcm.js';
import { argon2id, isWeakerArgon2, MIN_ARGON2_PARAMS } from '../../../../src/main/vault/crypto/argon2id.js';
import { calibrateArgon2 } from '../../../../src/main/vault/crypto/calibrateArgon2.js';
import { canonicalJson } from '../../../../src/main/vault/crypto/canonicalJson.js';
import { joinShares, keyShare, passwordShare } from '../../../../src/main/vault/crypto/xorShares.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';

describe('aesGcm', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const key = randomBytes(32);
    const a = seal(key, Buffer.from('entry'), Buffer.from('aad'));
    const b = seal(key, Buffer.from('entry'), Buffer.from('aad'));
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(open(key, a, Buffer.from('aad'))?.toString()).toBe('entry');
  });

  it('answers undefined for any changed bit of nonce, ciphertext or additional data', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('some entry bytes'), Buffer.from('aad'));
    fc.assert(
      fc.property(
        fc.constantFrom('nonce', 'ciphertext', 'aad'),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (part, at, bit) => {
          const copy = { nonce: Buffer.from(sealed.nonce), ciphertext: Buffer.from(sealed.ciphertext) };
          const aad = Buffer.from('aad');
          const target = part === 'aad' ? aad : copy[part];
          target[at % target.length]! ^= 1 << bit;
          expect(open(key, copy, aad)).toBeUndefined();
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('xorShares', () => {
  it('joins the two shares back into the master key, and neither share is the key', () => {
    const master = randomBytes(32);
    const a = passwordShare(master);
    const b = keyShare(master);
    expect(joinShares(a, b).equals(master)).toBe(true);
    expect(a.equals(master) || b.equals(master)).toBe(false);
  });

  it('refuses shares of different lengths', () => {
    expect(() => joinShares(Buffer.alloc(32), Buffer.alloc(31))).toThrow(/same length, got 32 and 31/);
  });
});

describe('argon2id', () => {
  it('matches the Argon2id reference implementation (phc-winner-argon2 src/test.c, m = 2^16, t = 2, p = 1)', async () => {
    const out = await argon2id(Buffer.from('password'), Buffer.from('somesalt'), { m: 65536, t: 2, p: 1 });
    expect(out.toString('hex')).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });

  it('counts parameters below m = 19 MiB, t = 2, p = 1 as weaker than the floor', () => {
    expect(isWeakerArgon2({ m: 19 * 1024 - 1, t: 2, p: 1 }, MIN_ARGON2_PARAMS)).toBe(true);
    expect(isWeakerArgon2({ m: 19 * 1024, t: 1, p: 1 }, MIN_ARGON2_PARAMS)).toBe(true);
    expect(isWeakerArgon2(MIN_ARGON2_PARAMS, MIN_ARGON2_PARAMS)).toBe(false);
  });

  it('calibration starts at the floor unless a test lowers it, and stops at the target', async () => {
    const cheap = await calibrateArgon2({ targetMs: 0, minM: 64, t: 1 });
    expect(cheap.params).toEqual({ m: 64, t: 1, p: 1 });
    const capped = await calibrateArgon2({ targetMs: 10_000, minM: 64, maxM: 256, t: 1 });
    expect(capped.params).toEqual({ m: 256, t: 64, p: 1 });
    // At the memory cap the passes grow one at a time until the target is reached.
    const passes = await calibrateArgon2({ targetMs: 15, minM: 64, maxM: 64, t: 1 });
    expect(passes.params.m).toBe(64);
    expect(passes.params.t).toBeGreaterThan(1);
    expect(passes.measuredMs >= 15 || passes.params.t === 64).toBe(true);
    await expect(calibrateArgon2({ minM: 4 })).rejects.toThrow(/minM must be at least 8 \* p KiB, got 4/);
  });

  it('calibrates to at least the floor and 250 ms by default', async () => {
    const { params, measuredMs } = await calibrateArgon2();
    expect(isWeakerArgon2(params, MIN_ARGON2_PARAMS)).toBe(false);
    expect(params.m).toBeLessThanOrEqual(256 * 1024);
    expect(measuredMs >= 250 || params.t === 64).toBe(true);
  }, 60_000);
});

describe('canonicalJson', () => {
  it('sorts members at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
