import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../../../src/main/vault/entries/checkEntry.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/VaultEntryError.js';
import { isLegacyAlgorithm, vaultEntrySchema } from '../../../../src/main/vault/entries/vaultEntry.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { makeEntry, SECRET } from './entryFixtures.js';
import { quoteValue } from '../../../../src/main/vault/entries/quoteValue.js';

const base = { service: 'Example', account: 'alice', secret: SECRET };

/** The error checkEntry throws for `input`, failing the test when it throws nothing or something else. */
function refusal(input: unknown): VaultEntryError {
  try {
    checkEntry(input);
  } catch (error) {
    if (error instanceof VaultEntryError) return error;
    throw error;
  }
  throw new Error('checkEntry accepted the input');
}

describe('checkEntry', () => {
  it('fills in the defaults of a TOTP, an HOTP and a Steam entry', () => {
    expect(checkEntry(base)).toEqual({
      otp_type: 'totp',
      service: 'Example',
      account: 'alice',
      secret: SECRET,
      digits: 6,
      algorithm: 'sha1',
      period: 30,
      counter: null,
      icon: null,
      note: '',
    });
    expect(checkEntry({ ...base, otp_type: 'hotp' })).toMatchObject({ period: null, counter: 0, digits: 6 });
    expect(checkEntry({ ...base, otp_type: 'steamtotp' })).toMatchObject({ digits: 5, period: 30, algorithm: 'sha1' });
  });

  it('normalizes a pasted secret: case, spaces, hyphens and padding', () => {
    expect(checkEntry({ ...base, secret: ' jbsw y3dp-ehpk 3pxp jbswy3dpehpk3pxp== ' }).secret).toBe(SECRET);
  });

  it('reads algorithm and type names in any case, and flags md5', () => {
    expect(checkEntry({ ...base, algorithm: 'SHA-256', otp_type: 'TOTP' })).toMatchObject({
      algorithm: 'sha256',
      otp_type: 'totp',
    });
    const md5 = checkEntry({ ...base, algorithm: 'md5' });
    expect(isLegacyAlgorithm(md5.algorithm)).toBe(true);
    expect(isLegacyAlgorithm('sha512')).toBe(false);
  });

  it.each([
    [{ ...base, secret: 'JBSWY3DPEHPK3PX1' }, 'secret', 'invalid', /character 16 is outside A-Z and 2-7/],
    [{ ...base, secret: 'JBSWY3DP' }, 'secret', 'out-of-range', /has 8 base32 characters, expected 16 to 205/],
    [{ ...base, secret: `${SECRET}A` }, 'secret', 'invalid', /33 characters do not end on a whole byte/],
    [{ ...base, secret: '' }, 'secret', 'missing', /secret is missing/],
    [{ ...base, digits: 0 }, 'digits', 'out-of-range', /digits must be 6 to 10, found 0/],
    [{ ...base, digits: 11 }, 'digits', 'out-of-range', /digits must be 6 to 10, found 11/],
    [{ ...base, digits: 6.5 }, 'digits', 'invalid', /digits must be a whole number, found 6.5/],
    [{ ...base, otp_type: 'steamtotp', digits: 6 }, 'digits', 'out-of-range', /Steam codes have 5 characters/],
    [{ ...base, algorithm: 'sha3' }, 'algorithm', 'unsupported', /algorithm "sha3" is not one of sha1, sha256/],
    [{ ...base, otp_type: 'steamtotp', algorithm: 'sha256' }, 'algorithm', 'invalid', /Steam codes use sha1/],
    [{ ...base, period: 0 }, 'period', 'out-of-range', /period must be 1 to 86400, found 0/],
    [{ ...base, period: -30 }, 'period', 'out-of-range', /period must be 1 to 86400, found -30/],
    [{ ...base, period: '30s' }, 'period', 'invalid', /period must be a whole number, found "30s"/],
    [{ ...base, otp_type: 'steamtotp', period: 60 }, 'period', 'invalid', /every 30 seconds, found 60/],
    [{ ...base, otp_type: 'hotp', period: 30 }, 'period', 'invalid', /HOTP entry has no period/],
    [{ ...base, counter: 3 }, 'counter', 'invalid', /totp entry has no counter/],
    [{ ...base, otp_type: 'hotp', counter: -1 }, 'counter', 'out-of-range', /counter must be 0 to \d+, found -1/],
    [{ ...base, service: undefined }, 'service', 'missing', /service is missing/],
    [{ ...base, service: '   ' }, 'service', 'missing', /service is missing/],
    [{ ...base, service: 'a:b' }, 'service', 'invalid', /contains ":"/],
    [{ ...base, service: 'x'.repeat(256) }, 'service', 'out-of-range', /256 characters, expected at most 255/],
    [{ ...base, account: 'a\u0007b' }, 'account', 'invalid', /control characters/],
    [{ ...base, service: 'Git\uD800Hub' }, 'service', 'invalid', /half of a character \(a lone UTF-16 surrogate\)/],
    [{ ...base, otp_type: 'motp' }, 'otp_type', 'unsupported', /otp_type "motp" is not one of totp, hotp/],
    [{ ...base, note: 42 }, 'note', 'invalid', /note must be text, found 42/],
    ['otpauth://totp/x', 'entry', 'invalid', /an entry must be an object/],
  ])('refuses %o as %s (%s)', (input, field, reason, message) => {
    const error = refusal(input);
    expect(error).toMatchObject({ field, reason });
    expect(error.message).toMatch(message);
  });

  it('keeps newlines in a note but refuses one longer than 10,000 characters', () => {
    expect(checkEntry({ ...base, note: 'line 1\nline 2' }).note).toBe('line 1\nline 2');
    expect(refusal({ ...base, note: 'n'.repeat(10_001) })).toMatchObject({ field: 'note', reason: 'out-of-range' });
  });

  it('property: a secret never appears in the message, the string or the JSON of an error', () => {
    const secretChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
    const badChars = fc.constantFrom(...'018!@ éZ\u0000');
    fc.assert(
      fc.property(
        fc.array(secretChars, { minLength: 16, maxLength: 64 }).map((a) => a.join('')),
        fc.oneof(
          // A secret with one character outside base32, or cut to an impossible length, next to other bad fields.
          fc.tuple(fc.nat(), badChars).map(
            ([at, c]) =>
              (s: string) =>
                s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1),
          ),
          fc.constant((s: string) => s.slice(0, 15)),
          fc.constant((s: string) => `${s}A`.slice(0, (s.length >> 3) * 8 + 1)),
          fc.constant((s: string) => s),
        ),
        fc.record({ digits: fc.constantFrom(0, 6, 11), period: fc.constantFrom(0, 30), algorithm: fc.string() }),
        (secret, mangle, others) => {
          const mangled = mangle(secret);
          let error: unknown;
          try {
            checkEntry({ ...base, ...others, secret: mangled });
          } catch (e) {
            error = e;
          }
          if (error === undefined) return;
          expect(error).toBeInstanceOf(VaultEntryError);
          const shown = [String(error), JSON.stringify(error), (error as Error).message, (error as Error).stack ?? ''];
          for (const text of shown) {
            expect(text).not.toContain(secret.slice(0, 12));
            expect(text).not.toContain(mangled.slice(0, 12));
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('vaultEntrySchema', () => {
  it('reads back what newEntry makes for each type', () => {
    for (const input of [{}, { otp_type: 'hotp', counter: 7 }, { otp_type: 'steamtotp' }, { algorithm: 'md5' }]) {
      const entry = makeEntry(input);
      expect(vaultEntrySchema.parse(entry)).toEqual(entry);
    }
  });

  it.each([
    ['a TOTP entry with a counter', { counter: 1 }],
    ['an HOTP entry with a period', { otp_type: 'hotp', counter: 1, period: 30 }],
    ['a Steam entry with 6 digits', { otp_type: 'steamtotp', digits: 6 }],
    ['a TOTP entry with 5 digits', { digits: 5 }],
    ['a lower-case secret', { secret: SECRET.toLowerCase() }],
    ['duplicate groups', { groups: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001'] }],
    ['an unknown field', { colour: 'red' }],
  ])('refuses %s', (_, change) => {
    expect(vaultEntrySchema.safeParse({ ...makeEntry(), ...change }).success).toBe(false);
  });
});

describe('quoteValue', () => {
  it('spells out direction overrides and invisible characters, and shortens long text, as key names are quoted', () => {
    expect(quoteValue('abc\u202Egpj.exe')).toBe('"abc\\u{202E}gpj.exe"');
    expect(quoteValue(`x\u200By`)).toBe('"x\\u{200B}y"');
    expect(quoteValue('a'.repeat(50))).toBe(`"${'a'.repeat(40)}..." (50 characters)`);
    expect(quoteValue(7)).toBe('7');
    expect(quoteValue(undefined)).toBe('nothing');
  });
});
