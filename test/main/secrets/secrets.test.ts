// The shared secrets module: zeroize, scrypt hashes and their parameters, and the calibration helper.

import { describe, expect, it } from 'vitest';
import { calibrateScrypt } from '../../../src/main/secrets/calibrateScrypt.js';
import { describeScrypt, isWeakerScrypt, MIN_SCRYPT_PARAMS } from '../../../src/main/secrets/scrypt.js';
import { hashSecret, spendVerifyTime, verifySecret } from '../../../src/main/secrets/secretHash.js';
import { zeroize } from '../../../src/main/secrets/zeroize.js';

const FAST = { n: 1024, r: 8, p: 1 };

describe('zeroize', () => {
  it('zeroes every buffer given and skips absent ones', () => {
    const a = Buffer.from('secret');
    const b = new Uint8Array([1, 2, 3]);
    zeroize(a, undefined, b, null);
    expect([...a, ...b].every((byte) => byte === 0)).toBe(true);
  });
});

describe('scrypt hashes', () => {
  it('verifies the right secret only, and asks for a rehash when the parameters differ', async () => {
    const stored = await hashSecret({ secret: Buffer.from('pass phrase'), params: FAST });
    expect(stored).toMatchObject({ algorithm: 'scrypt', ...FAST });
    expect(await verifySecret({ secret: Buffer.from('pass phrase'), stored, current: FAST })).toEqual({
      matches: true,
      rehash: false,
    });
    expect(await verifySecret({ secret: Buffer.from('pass phrasE'), stored, current: FAST })).toEqual({
      matches: false,
      rehash: false,
    });
    expect(await verifySecret({ secret: Buffer.from('pass phrase'), stored, current: { ...FAST, n: 2048 } })).toEqual({
      matches: true,
      rehash: true,
    });
    await expect(spendVerifyTime(Buffer.from('x'), FAST)).resolves.toBeUndefined();
  });

  it('judges parameters against a floor by memory and by work', () => {
    expect(isWeakerScrypt({ n: 2, r: 8, p: 1 }, MIN_SCRYPT_PARAMS)).toBe(true);
    expect(isWeakerScrypt({ n: 2 ** 15, r: 8, p: 1 }, MIN_SCRYPT_PARAMS)).toBe(false);
    expect(isWeakerScrypt({ n: 2 ** 17, r: 8, p: 1 }, MIN_SCRYPT_PARAMS)).toBe(false);
    // Less memory is weaker, whatever p buys back in time.
    expect(isWeakerScrypt({ n: 2 ** 14, r: 8, p: 4 }, MIN_SCRYPT_PARAMS)).toBe(true);
    expect(describeScrypt(MIN_SCRYPT_PARAMS)).toBe('N=32768, r=8, p=1');
  });
});

describe('calibrateScrypt', () => {
  it('doubles N until one derivation takes the target, and stops at maxN', async () => {
    const reached = await calibrateScrypt({ targetMs: 15, minN: 2 ** 8, maxN: 2 ** 16 });
    expect(reached.measuredMs >= 15 || reached.params.n === 2 ** 16).toBe(true);
    expect(reached.params).toMatchObject({ r: 8, p: 1 });
    expect(Math.log2(reached.params.n) % 1).toBe(0);
    const capped = await calibrateScrypt({ targetMs: 60_000, minN: 2 ** 8, maxN: 2 ** 10 });
    expect(capped.params.n).toBe(2 ** 10);
    const floor = await calibrateScrypt({ targetMs: 0, minN: 2 ** 9, maxN: 2 ** 12 });
    expect(floor.params.n).toBe(2 ** 9);
  });

  it('refuses bounds that are not powers of two or are crossed', async () => {
    await expect(calibrateScrypt({ minN: 1000 })).rejects.toThrow(
      /minN must be a power of two of at least 2, got 1000/,
    );
    await expect(calibrateScrypt({ minN: 2 ** 12, maxN: 2 ** 10 })).rejects.toThrow(
      /minN \(4096\) is above maxN \(1024\)/,
    );
  });
});
