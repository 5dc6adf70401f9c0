import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError, MAX_IMPORT_BYTES, readImport } from '../../../../../src/main/vault/transfer/import/index.js';
import { FUZZ_RUNS, mutationsOf } from '../../../../support/fuzz.js';
import { AEGIS_PASSWORD, FIXTURES, fixture, importRefusal, passwordOf } from './importFixtures.js';

const encode = (value: string) => new TextEncoder().encode(value);

describe('readImport on hostile files', () => {
  it('refuses a 50 MB file by its size before decoding or parsing it', async () => {
    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x5b);
    const start = performance.now();
    const refusal = await importRefusal(readImport(huge));
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(refusal.reason).toBe('too-large');
    expect(refusal.message).toBe(
      `the file has ${huge.length} bytes, more than the ${MAX_IMPORT_BYTES} (20 MiB) an import reads`,
    );
  });

  it('refuses JSON nested a million deep without overflowing the stack', async () => {
    const refusal = await importRefusal(readImport(encode('['.repeat(1_000_000) + ']'.repeat(1_000_000))));
    expect(refusal.reason).toBe('too-deep');
    expect(refusal.message).toBe(
      'the file nests objects and arrays more than 64 deep (at character 65), deeper than any export writes',
    );
    const inString = `{"app":"2fauth_v5","schema":1,"data":[],"x":"${'['.repeat(10_000)}"}`;
    expect((await readImport(encode(inString))).entries).toEqual([]);
  });

  it('calls a truncated file damaged, naming where it ends, and quotes none of its content', async () => {
    const whole = Buffer.from(fixture('2fauth.json')).toString('utf8');
    const refusal = await importRefusal(readImport(encode(whole.slice(0, whole.length / 2))));
    expect(refusal.reason).toBe('damaged');
    expect(refusal.message).toMatch(
      /^the file is not valid JSON( at character \d+)?: it ends early, as a truncated file does$/,
    );
  });

  it('refuses top-level parts of the wrong type, and lists entries of the wrong type one by one', async () => {
    const wrongData = await importRefusal(readImport(encode('{"app":"2fauth_v5","schema":1,"data":{"a":1}}')));
    expect([wrongData.reason, wrongData.message]).toEqual([
      'damaged',
      "the 2FAuth export's data is an object, expected an array of accounts",
    ]);
    const wrongDb = await importRefusal(readImport(encode('{"version":1,"header":{},"db":{"version":3,"entries":7}}')));
    expect(wrongDb.message).toBe("the Aegis db's entries is a number, expected an array");
    const parsed = await readImport(
      encode('{"app":"2fauth_v5","schema":1,"data":[7,null,{"service":["x"],"secret":12,"digits":"six"}]}'),
    );
    expect(parsed.entries).toEqual([]);
    expect(parsed.notImported).toEqual([
      { source: 'entry 1', reason: 'the entry is a number, expected an object of 2FAuth fields' },
      { source: 'entry 2', reason: 'the entry is null, expected an object of 2FAuth fields' },
      { source: 'entry 3', reason: 'the service must be text, found a value of type array' },
    ]);
  });

  it('lists a 10 KB otpauth URI as not imported and reads the lines around it', async () => {
    const good = 'otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const parsed = await readImport(encode([good, `otpauth://totp/B:b?secret=${'A'.repeat(10_240)}`, good].join('\n')));
    expect(parsed.entries.map((e) => e.source)).toEqual(['line 1', 'line 3']);
    expect(parsed.notImported).toEqual([
      { source: 'line 2', reason: 'the URI has 10266 characters, expected at most 4096' },
    ]);
  });

  it('names the formats it tried for a file that is none of them, quoting no content', async () => {
    const tried =
      'tried 2FAuth JSON, Aegis JSON (plain or encrypted), 2FAS, Bitwarden JSON, otpauth URIs, Google Authenticator transfer URIs and Ente Auth text';
    const cases: [Uint8Array, string][] = [
      [encode('{"secret":"JBSWY3DPEHPK3PXP","b":1}'), 'it is JSON with the keys "secret", "b"'],
      [encode('[1,2]'), 'it is JSON holding an array, not an object'],
      [encode('JBSWY3DPEHPK3PXP\nhello'), 'it is text, but no line is an otpauth:// or otpauth-migration:// URI'],
      [encode('\n \n'), 'it is empty'],
      [
        Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]),
        'it is not UTF-8 text (it starts with the bytes 89 50 4e 47; QR code images are read elsewhere)',
      ],
    ];
    for (const [data, found] of cases) {
      const refusal = await importRefusal(readImport(data));
      expect(refusal.reason).toBe('unknown-format');
      expect(refusal.message).toBe(`the file is none of the formats Latchkey reads (${tried}): ${found}`);
    }
  });

  it('refuses encrypted 2FAS, Bitwarden and Ente exports, saying how to export them plain', async () => {
    const twoFas = await importRefusal(readImport(encode('{"schemaVersion":4,"servicesEncrypted":"abc:def:ghi"}')));
    expect([twoFas.reason, twoFas.message]).toEqual([
      'unsupported',
      'the 2FAS backup is encrypted with a password, which Latchkey does not read: export it again from 2FAS without a password',
    ]);
    const bitwarden = await importRefusal(
      readImport(encode('{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.x","items":"2.abc"}')),
    );
    expect(bitwarden.reason).toBe('unsupported');
    const ente = await importRefusal(
      readImport(
        encode(
          '{"version":1,"kdfParams":{"memLimit":4096,"opsLimit":3,"salt":"c2FsdA=="},"encryptedData":"x","encryptionNonce":"y"}',
        ),
      ),
    );
    expect([ente.reason, ente.message]).toEqual([
      'unsupported',
      'the file is an encrypted Ente Auth export, which Latchkey does not read: export it again as plain text (Settings, Data, Export codes, Plain text)',
    ]);
  });

  it('leaves out an icon whose bytes are not the type it claims, and imports the entry', async () => {
    const file = {
      app: '2fauth_v5',
      schema: 1,
      data: [
        { service: 'A', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', icon_mime: 'image/png', icon_file: 'PHN2Zz4=' },
        { service: 'B', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ', icon_mime: 'image/svg+xml', icon_file: 'PHN2Zz4=' },
        { service: 'C', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXR', icon_mime: 'image/png', icon_file: 'not base64!' },
      ],
    };
    const parsed = await readImport(encode(JSON.stringify(file)));
    expect(parsed.entries.map((e) => [e.icon?.mime, e.warnings])).toEqual([
      [undefined, ['the icon was left out: its bytes are not a image/png image']],
      ['image/svg+xml', undefined],
      [undefined, ['the icon was left out: its data is not valid base64']],
    ]);
  });
});

describe('readImport, property: throws nothing but ImportError', () => {
  async function onlyImportErrors(data: Uint8Array): Promise<void> {
    try {
      await readImport(data, { password: passwordOf(AEGIS_PASSWORD) });
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
    }
  }

  it('property: on random bytes and random text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 400 }).map(encode)),
        onlyImportErrors,
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  // The encrypted Aegis fixture is left out: each of its mutations would cost an scrypt derivation (32 MiB).
  for (const name of FIXTURES.filter((n) => n !== 'aegis-encrypted.json')) {
    it(`property: on mutations of ${name}`, async () => {
      await fc.assert(fc.asyncProperty(mutationsOf(fixture(name)), onlyImportErrors), {
        numRuns: Math.ceil(FUZZ_RUNS / 3),
      });
    });
  }

  it('property: on JSON of the right shape with values of any type', async () => {
    const anything = fc.jsonValue({ maxDepth: 3 });
    const files = fc.oneof(
      fc.record({
        app: fc.constant('2fauth_v5'),
        schema: fc.constant(1),
        data: fc.array(
          fc.dictionary(
            fc.constantFrom(
              'otp_type',
              'service',
              'account',
              'secret',
              'digits',
              'algorithm',
              'period',
              'counter',
              'icon_mime',
              'icon_file',
            ),
            anything,
          ),
        ),
      }),
      fc.record({
        version: fc.constant(1),
        header: fc.constant({}),
        db: fc.record({
          version: fc.constantFrom(1, 2, 3),
          entries: fc.array(
            fc.dictionary(
              fc.constantFrom(
                'type',
                'name',
                'issuer',
                'info',
                'note',
                'favorite',
                'icon',
                'icon_mime',
                'groups',
                'group',
              ),
              anything,
            ),
          ),
          groups: anything,
        }),
      }),
      fc.record({
        schemaVersion: fc.constant(4),
        services: fc.array(fc.dictionary(fc.constantFrom('name', 'secret', 'otp', 'groupId'), anything)),
        groups: anything,
      }),
      fc.record({
        items: fc.array(fc.dictionary(fc.constantFrom('name', 'notes', 'favorite', 'folderId', 'login'), anything)),
        folders: anything,
      }),
    );
    await fc.assert(
      fc.asyncProperty(files, (file) => onlyImportErrors(encode(JSON.stringify(file)))),
      { numRuns: FUZZ_RUNS },
    );
  });
});
