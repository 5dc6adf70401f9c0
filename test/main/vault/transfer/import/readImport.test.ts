import { describe, expect, it } from 'vitest';
import { readImport, type ParsedImport } from '../../../../../src/main/vault/transfer/import/index.js';
import {
  AEGIS_PASSWORD,
  FIXTURES,
  expected,
  fixture,
  fixtureSecrets,
  importRefusal,
  passwordOf,
} from './importFixtures.js';

/** The parsed import in the expected files' shape: icons as base64, warnings reduced to a check below. */
function comparable(parsed: ParsedImport) {
  return parsed.entries.map(({ icon, warnings: _warnings, ...entry }) => ({
    ...entry,
    ...(icon ? { icon: { mime: icon.mime, base64: Buffer.from(icon.data).toString('base64') } } : {}),
  }));
}

describe('readImport on each format', () => {
  for (const name of FIXTURES) {
    it(`reads ${name} into the expected entries and lists what it leaves out`, async () => {
      const want = expected(name);
      const parsed = await readImport(fixture(name), { password: passwordOf(AEGIS_PASSWORD) });
      expect(parsed.format).toBe(want.format);
      expect(comparable(parsed)).toEqual(want.entries.map(({ warnings: _w, ...entry }) => entry));
      parsed.entries.forEach((entry, i) => {
        const words = want.entries[i]!.warnings;
        if (words) expect(entry.warnings?.join(' ')).toContain(words.join(' '));
        else expect(entry.warnings).toBeUndefined();
      });
      expect(parsed.notImported.map((n) => n.source)).toEqual(want.notImported.map((n) => n.source));
      parsed.notImported.forEach((n, i) => expect(n.reason).toContain(want.notImported[i]!.reasonIncludes));
      const said = JSON.stringify(parsed.notImported) + JSON.stringify(parsed.entries.map((e) => e.warnings));
      for (const secret of fixtureSecrets()) expect(said).not.toContain(secret);
    });
  }

  it('gives the same entries when the format is named instead of detected', async () => {
    const detected = await readImport(fixture('2fas.2fas'));
    expect(await readImport(fixture('2fas.2fas'), { format: '2fas' })).toEqual(detected);
    expect(await readImport(fixture('ente.txt'), { format: 'otpauth' })).toMatchObject({ format: 'otpauth' });
  });

  it('refuses a named format the content is not, saying what it reads as', async () => {
    const refusal = await importRefusal(readImport(fixture('aegis.json'), { format: 'bitwarden' }));
    expect(refusal.reason).toBe('unknown-format');
    expect(refusal.message).toBe('the file is not Bitwarden JSON as asked: its content reads as Aegis JSON');
  });

  it('reads a byte-order mark and Windows line ends', async () => {
    const text = Buffer.from(fixture('otpauth.txt')).toString('utf8').replace(/\n/g, '\r\n');
    const parsed = await readImport(new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf8')));
    expect(parsed.entries.map((e) => e.source)).toEqual(['line 1', 'line 2', 'line 4', 'line 5']);
  });

  it('leaves the caller’s bytes as they were', async () => {
    const data = fixture('aegis-encrypted.json');
    const copy = Uint8Array.from(data);
    await readImport(data, { password: passwordOf(AEGIS_PASSWORD) });
    expect(data).toEqual(copy);
  });
});

describe('readImport on an encrypted Aegis file', () => {
  it('says a wrong password is wrong, and zeroes the password bytes it was given', async () => {
    const given = new TextEncoder().encode('not the password');
    const refusal = await importRefusal(readImport(fixture('aegis-encrypted.json'), { password: async () => given }));
    expect(refusal.reason).toBe('wrong-password');
    expect(refusal.message).toBe(
      "the password does not open the Aegis file's password slot: it is not the password the file was exported with",
    );
    expect(given.every((b) => b === 0)).toBe(true);
  });

  it('zeroes the right password too once the file is open', async () => {
    const given = new TextEncoder().encode(AEGIS_PASSWORD);
    await readImport(fixture('aegis-encrypted.json'), { password: async () => given });
    expect(given.every((b) => b === 0)).toBe(true);
  });

  it('asks for the password only for an encrypted file, and says when none is given', async () => {
    let asked = 0;
    const password = async () => {
      asked += 1;
      return undefined;
    };
    await readImport(fixture('aegis.json'), { password });
    expect(asked).toBe(0);
    const refusal = await importRefusal(readImport(fixture('aegis-encrypted.json'), { password }));
    expect([refusal.reason, asked]).toEqual(['password-needed', 1]);
    expect((await importRefusal(readImport(fixture('aegis-encrypted.json')))).reason).toBe('password-needed');
  });

  it('refuses a file with only biometric slots, and scrypt costs above the cap before deriving anything', async () => {
    const root = JSON.parse(Buffer.from(fixture('aegis-encrypted.json')).toString('utf8'));
    const biometricOnly = { ...root, header: { ...root.header, slots: [root.header.slots[0]] } };
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    let asked = false;
    const password = async () => {
      asked = true;
      return new TextEncoder().encode(AEGIS_PASSWORD);
    };
    const noSlot = await importRefusal(readImport(encode(biometricOnly), { password }));
    expect(noSlot.reason).toBe('missing-part');
    expect(noSlot.message).toContain('no password slot');
    const costly = structuredClone(root);
    costly.header.slots[1].n = 2 ** 30;
    const refusal = await importRefusal(readImport(encode(costly), { password }));
    expect(refusal.reason).toBe('unsupported');
    expect(refusal.message).toContain('N=1073741824, r=8, p=1');
    expect(asked).toBe(false);
  });

  it('calls a db that does not open under the master key damaged, not a wrong password', async () => {
    const root = JSON.parse(Buffer.from(fixture('aegis-encrypted.json')).toString('utf8'));
    const db = Buffer.from(root.db, 'base64');
    db[0] = db[0]! ^ 1;
    root.db = db.toString('base64');
    const refusal = await importRefusal(
      readImport(new TextEncoder().encode(JSON.stringify(root)), { password: passwordOf(AEGIS_PASSWORD) }),
    );
    expect(refusal.reason).toBe('damaged');
  });
});
