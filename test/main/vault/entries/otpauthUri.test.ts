import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../../../src/main/vault/entries/checkEntry.js';
import { formatOtpauthUri } from '../../../../src/main/vault/entries/formatOtpauthUri.js';
import { parseOtpauthUri } from '../../../../src/main/vault/entries/parseOtpauthUri.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/VaultEntryError.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { base32, SECRET } from './entryFixtures.js';

function refusal(uri: unknown): VaultEntryError {
  try {
    parseOtpauthUri(uri);
  } catch (error) {
    if (error instanceof VaultEntryError) return error;
    throw error;
  }
  throw new Error('parseOtpauthUri accepted the URI');
}

describe('parseOtpauthUri', () => {
  it("reads Google's Key Uri Format example", () => {
    expect(
      parseOtpauthUri(
        'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
      ),
    ).toEqual({
      otp_type: 'totp',
      service: 'ACME Co',
      account: 'john.doe@email.com',
      secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ',
      digits: 6,
      algorithm: 'sha1',
      period: 30,
      counter: null,
      icon: null,
      note: '',
    });
  });

  it('takes the issuer from the label, from the parameter, or falls back to the label as the service', () => {
    expect(parseOtpauthUri(`otpauth://totp/Example:alice?secret=${SECRET}`)).toMatchObject({
      service: 'Example',
      account: 'alice',
      digits: 6,
      period: 30,
    });
    expect(parseOtpauthUri(`otpauth://totp/alice?secret=${SECRET}&issuer=Example`)).toMatchObject({
      service: 'Example',
      account: 'alice',
    });
    expect(parseOtpauthUri(`otpauth://TOTP/alice@example.com?secret=${SECRET}`)).toMatchObject({
      service: 'alice@example.com',
      account: '',
    });
  });

  it('reads HOTP with its counter, and Steam from the steam host or encoder=steam', () => {
    expect(
      parseOtpauthUri(`otpauth://hotp/Ex:bob?secret=${SECRET}&counter=42&digits=8&algorithm=SHA512`),
    ).toMatchObject({ otp_type: 'hotp', counter: 42, period: null, digits: 8, algorithm: 'sha512' });
    expect(parseOtpauthUri(`otpauth://steam/Steam:carol?secret=${SECRET}`)).toMatchObject({
      otp_type: 'steamtotp',
      digits: 5,
    });
    expect(parseOtpauthUri(`otpauth://totp/Steam:carol?secret=${SECRET}&encoder=steam&digits=5`)).toMatchObject({
      otp_type: 'steamtotp',
    });
  });

  it.each([
    ['not a URI', 'uri', 'unparseable'],
    ['', 'uri', 'missing'],
    [42, 'uri', 'missing'],
    [`https://example.com/?secret=${SECRET}`, 'uri', 'unsupported'],
    [`otpauth://motp/Ex:a?secret=${SECRET}`, 'otp_type', 'unsupported'],
    [`otpauth://totp/Ex%E0:a?secret=${SECRET}`, 'uri', 'unparseable'],
    ['otpauth://totp/Ex:a?issuer=Ex', 'secret', 'missing'],
    ['otpauth://totp/Ex:a?secret=JBSWY3DPEHPK3PX1', 'secret', 'invalid'],
    [`otpauth://totp/Ex:a?secret=${SECRET}&digits=0`, 'digits', 'out-of-range'],
    [`otpauth://totp/Ex:a?secret=${SECRET}&digits=11`, 'digits', 'out-of-range'],
    [`otpauth://totp/Ex:a?secret=${SECRET}&period=0`, 'period', 'out-of-range'],
    [`otpauth://totp/Ex:a?secret=${SECRET}&algorithm=SHA3`, 'algorithm', 'unsupported'],
    [`otpauth://hotp/Ex:a?secret=${SECRET}`, 'counter', 'missing'],
    [`otpauth://totp/?secret=${SECRET}`, 'service', 'missing'],
    [`otpauth://totp/Ex:a?secret=${'A'.repeat(5000)}`, 'uri', 'out-of-range'],
  ])('refuses %s as %s (%s), without quoting the secret', (uri, field, reason) => {
    const error = refusal(uri);
    expect(error).toMatchObject({ field, reason });
    expect(error.message).not.toContain(SECRET.slice(0, 12));
    expect(JSON.stringify(error)).not.toContain(SECRET.slice(0, 12));
  });

  it('property: formatting then parsing gives the same fields back', () => {
    const name = fc
      .string({ minLength: 1, maxLength: 40, unit: 'grapheme' })
      .map((s) => s.trim().replace(/[\p{Cc}:]/gu, ''))
      .filter((s) => s !== '');
    fc.assert(
      fc.property(
        fc.record({
          otp_type: fc.constantFrom('totp', 'hotp', 'steamtotp'),
          service: name,
          account: fc.oneof(
            fc.constant(''),
            name,
            name.map((s) => `${s}:${s}`),
          ),
          secret: fc.uint8Array({ minLength: 10, maxLength: 64 }).map(base32),
          algorithm: fc.constantFrom('sha1', 'sha256', 'sha512', 'md5'),
          digits: fc.integer({ min: 6, max: 10 }),
          period: fc.integer({ min: 1, max: 86_400 }),
          counter: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        }),
        (fields) => {
          const input =
            fields.otp_type === 'steamtotp'
              ? { ...fields, algorithm: 'sha1', digits: 5, period: 30, counter: null }
              : fields.otp_type === 'hotp'
                ? { ...fields, period: null }
                : { ...fields, counter: null };
          const entry = checkEntry(input);
          expect(parseOtpauthUri(formatOtpauthUri(entry))).toEqual(entry);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('formatOtpauthUri', () => {
  it('writes the issuer in the label and as a parameter', () => {
    const entry = checkEntry({ service: 'ACME Co', account: 'john', secret: SECRET, period: 60, digits: 8 });
    expect(formatOtpauthUri(entry)).toBe(
      `otpauth://totp/ACME%20Co:john?secret=${SECRET}&issuer=ACME%20Co&algorithm=SHA1&digits=8&period=60`,
    );
    const steam = checkEntry({ otp_type: 'steamtotp', service: 'Steam', account: 'carol', secret: SECRET });
    expect(formatOtpauthUri(steam)).toBe(`otpauth://steam/Steam:carol?secret=${SECRET}&issuer=Steam&encoder=steam`);
  });
});
