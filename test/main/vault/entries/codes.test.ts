import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextHotpCode } from '../../../../src/main/vault/entries/nextHotpCode.js';
import { STEAM_ALPHABET, steamCode } from '../../../../src/main/vault/entries/steamCode.js';
import { timedCode } from '../../../../src/main/vault/entries/timedCode.js';
import { totpCode } from '../../../../src/main/vault/entries/totpCode.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/VaultEntryError.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { base32, makeEntry } from './entryFixtures.js';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

/** RFC 6238 appendix B: the seeds per algorithm (20, 32 and 64 bytes) and the 8-digit codes at each time. */
const RFC6238_SEEDS = {
  sha1: base32(ascii('12345678901234567890')),
  sha256: base32(ascii('12345678901234567890123456789012')),
  sha512: base32(ascii('1234567890123456789012345678901234567890123456789012345678901234')),
};
const RFC6238_VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

/** RFC 4226 appendix D: HOTP-SHA1 codes for counters 0 to 9 over "12345678901234567890". */
const RFC4226_CODES = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

/** HOTP from RFC 4226 section 5.3, written out with node:crypto, independent of otpauth. */
function referenceHotp(key: Uint8Array, counter: number, algorithm: string, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac(algorithm, key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return (value % 10 ** digits).toString().padStart(digits, '0');
}

/** Steam Guard from its definition (as steampy and KeePassXC compute it), independent of steamCode. */
function referenceSteam(key: Uint8Array, seconds: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const digest = createHmac('sha1', key).update(message).digest();
  let value = digest.readUInt32BE(digest[19]! & 0x0f) & 0x7fffffff;
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += '23456789BCDFGHJKMNPQRTVWXY'.charAt(value % 26);
    value = Math.floor(value / 26);
  }
  return code;
}

describe('totpCode', () => {
  for (const [seconds, ...codes] of RFC6238_VECTORS)
    (['sha1', 'sha256', 'sha512'] as const).forEach((algorithm, i) =>
      it(`gives RFC 6238's ${algorithm} code at T=${seconds}`, () => {
        const entry = makeEntry({ secret: RFC6238_SEEDS[algorithm], algorithm, digits: 8 });
        expect(totpCode({ entry, now: seconds * 1000 }).code).toBe(codes[i]);
      }),
    );

  it('says how many seconds are left and when the period started', () => {
    const entry = makeEntry();
    expect(totpCode({ entry, now: 60_000 })).toMatchObject({ periodStart: 60_000, period: 30, secondsLeft: 30 });
    expect(totpCode({ entry, now: 89_999 })).toMatchObject({ periodStart: 60_000, secondsLeft: 1 });
    expect(totpCode({ entry, now: 1_000_123 })).toMatchObject({ periodStart: 990_000, secondsLeft: 20 });
    const minute = makeEntry({ period: 60 });
    expect(totpCode({ entry: minute, now: 61_000 })).toMatchObject({
      periodStart: 60_000,
      period: 60,
      secondsLeft: 59,
    });
  });

  it('property: matches HOTP over the period counter for every algorithm, digits and period', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 64 }),
        fc.constantFrom('sha1', 'sha256', 'sha512'),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        (key, algorithm, digits, period, now) => {
          const entry = makeEntry({ secret: base32(key), algorithm, digits, period });
          const result = totpCode({ entry, now });
          const counter = Math.floor(Math.floor(now / 1000) / period);
          expect(result.code).toBe(referenceHotp(key, counter, algorithm, digits));
          expect(result.periodStart).toBe(counter * period * 1000);
          // The next period starts secondsLeft whole seconds after the current second.
          expect(result.periodStart + period * 1000).toBe(Math.floor(now / 1000) * 1000 + result.secondsLeft * 1000);
          expect(result.secondsLeft).toBeGreaterThanOrEqual(1);
          expect(result.secondsLeft).toBeLessThanOrEqual(period);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('nextHotpCode', () => {
  const rfcSecret = base32(ascii('12345678901234567890'));

  it("gives RFC 4226's codes for counters 0 to 9, advancing the counter each time", () => {
    let entry = makeEntry({ otp_type: 'hotp', secret: rfcSecret, counter: 0 });
    RFC4226_CODES.forEach((expected, counter) => {
      const step = nextHotpCode({ entry, now: new Date(counter * 1000) });
      expect(step).toMatchObject({ code: expected, usedCounter: counter, counter: counter + 1 });
      expect(step.entry.counter).toBe(counter + 1);
      expect(step.entry.updated_at).toBe(new Date(counter * 1000).toISOString());
      entry = step.entry;
    });
  });

  it('leaves the entry it was given unchanged (the caller writes the new one first)', () => {
    const entry = makeEntry({ otp_type: 'hotp', secret: rfcSecret, counter: 5 });
    nextHotpCode({ entry });
    expect(entry.counter).toBe(5);
  });

  it('property: sha1, sha256 and sha512 HOTP match RFC 4226 written out with node:crypto', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 64 }),
        fc.constantFrom('sha1', 'sha256', 'sha512'),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 }),
        (key, algorithm, digits, counter) => {
          const entry = makeEntry({ otp_type: 'hotp', secret: base32(key), algorithm, digits, counter });
          expect(nextHotpCode({ entry }).code).toBe(referenceHotp(key, counter, algorithm, digits));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('refuses md5 entries, which 2FAuth stores but for which no code is defined', () => {
    expect(() => nextHotpCode({ entry: makeEntry({ otp_type: 'hotp', algorithm: 'md5' }) })).toThrow(
      expect.objectContaining({ field: 'algorithm', reason: 'unsupported' }),
    );
    expect(() => totpCode({ entry: makeEntry({ algorithm: 'MD5' }) })).toThrow(/md5 algorithm/);
  });

  it('refuses a TOTP entry and a counter that cannot advance', () => {
    expect(() => nextHotpCode({ entry: makeEntry() })).toThrow(VaultEntryError);
    const last = { ...makeEntry({ otp_type: 'hotp', counter: 0 }), counter: Number.MAX_SAFE_INTEGER };
    expect(() => nextHotpCode({ entry: last })).toThrow(/cannot advance/);
  });
});

describe('steamCode', () => {
  it('gives the published known values', () => {
    // KeePassXC tests/TestTotp.cpp (also in Authenticator Pro's SteamOtpTest).
    const keepass = makeEntry({ otp_type: 'steamtotp', secret: '63BEDWCQZKTQWPESARIERL5DTTQFCJTK' });
    expect(steamCode({ entry: keepass, now: 1511200518_000 }).code).toBe('FR8RV');
    expect(steamCode({ entry: keepass, now: 1511200714_000 }).code).toBe('9P3VP');
    // steampy test/test_guard.py: shared_secret base64("1234567890abcdefghij") at 1469184207.
    const steampy = makeEntry({ otp_type: 'steamtotp', secret: base32(ascii('1234567890abcdefghij')) });
    expect(steamCode({ entry: steampy, now: 1469184207_000 }).code).toBe('P2QJN');
    // MAKS11060/otp src/steamTotp.test.ts: 20 zero bytes at counters 0 and 1.
    const zeros = makeEntry({ otp_type: 'steamtotp', secret: base32(new Uint8Array(20)) });
    expect(steamCode({ entry: zeros, now: 0 }).code).toBe('RYH4D');
    expect(steamCode({ entry: zeros, now: 30_000 }).code).toBe('DR2DK');
  });

  it('property: 5 characters of the 26-letter alphabet, equal to the definition written out with node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 64 }), fc.integer({ min: 0, max: 2 ** 42 }), (key, now) => {
        const entry = makeEntry({ otp_type: 'steamtotp', secret: base32(key) });
        const result = steamCode({ entry, now });
        expect(result.code).toMatch(new RegExp(`^[${STEAM_ALPHABET}]{5}$`));
        expect(result.code).toBe(referenceSteam(key, Math.floor(now / 1000)));
        expect(result.period).toBe(30);
        expect(result.secondsLeft).toBe(30 - (Math.floor(now / 1000) % 30));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('timedCode', () => {
  it('picks Steam or TOTP by otp_type and refuses HOTP, whose code needs a counter write', () => {
    const steam = makeEntry({ otp_type: 'steamtotp' });
    expect(timedCode({ entry: steam, now: 0 }).code).toBe(steamCode({ entry: steam, now: 0 }).code);
    const totp = makeEntry();
    expect(timedCode({ entry: totp, now: 0 }).code).toBe(totpCode({ entry: totp, now: 0 }).code);
    expect(() => timedCode({ entry: makeEntry({ otp_type: 'hotp' }) })).toThrow(/nextHotpCode/);
  });
});
