import { describe, expect, it } from 'vitest';
import { readImport } from '../../../../../src/main/vault/transfer/import/index.js';
import { base32 } from '../../entries/entryFixtures.js';
import { importRefusal } from './importFixtures.js';
import {
  encodeOtpParameters,
  encodePayload,
  lengthDelimited,
  migrationUri,
  tag,
  varint,
  type OtpParametersInput,
} from './migrationEncoder.js';

const SECRET = Uint8Array.from({ length: 20 }, (_, i) => i * 13 + 1);
const text = (...lines: string[]) => new TextEncoder().encode(lines.join('\n'));

function transfer(otp: Partial<OtpParametersInput>[], batch: { size?: number; index?: number; id?: number } = {}) {
  return migrationUri(
    encodePayload({
      otp: otp.map((o) => ({ secret: SECRET, ...o })),
      batchSize: batch.size,
      batchIndex: batch.index,
      batchId: batch.id,
    }),
  );
}

describe('readImport on Google Authenticator transfers', () => {
  it('reads the raw secret bytes as base32 and the UNSPECIFIED enums as SHA1, six digits, TOTP', async () => {
    const parsed = await readImport(text(transfer([{ name: 'alice', issuer: 'Example' }])));
    expect(parsed.format).toBe('google-migration');
    expect(parsed.entries.map((e) => e.input)).toEqual([
      {
        otp_type: 'totp',
        service: 'Example',
        account: 'alice',
        secret: base32(SECRET),
        digits: 6,
        algorithm: 'sha1',
        period: 30,
        counter: null,
        icon: null,
        note: '',
      },
    ]);
  });

  it('splits "issuer:account" names, keeps the issuer field first, and reads HOTP counters past 2^32', async () => {
    const parsed = await readImport(
      text(
        transfer([
          { name: 'GitHub:alice' },
          { name: 'GitHub:bob', issuer: 'GitHub' },
          { name: 'Other:carol', issuer: 'Example' },
          { name: 'dave', type: 1, counter: 2 ** 40, algorithm: 4, digits: 2 },
        ]),
      ),
    );
    expect(parsed.entries.map((e) => [e.input.service, e.input.account])).toEqual([
      ['GitHub', 'alice'],
      ['GitHub', 'bob'],
      ['Example', 'Other:carol'],
      ['dave', ''],
    ]);
    expect(parsed.entries[3]!.input).toMatchObject({ otp_type: 'hotp', counter: 2 ** 40, algorithm: 'md5', digits: 8 });
  });

  it('joins the QR codes of one transfer and reports each missing part by number', async () => {
    const parsed = await readImport(
      text(
        transfer([{ name: 'one', issuer: 'A' }], { size: 4, index: 0, id: 7 }),
        transfer([{ name: 'three', issuer: 'C' }], { size: 4, index: 2, id: 7 }),
      ),
    );
    expect(parsed.entries.map((e) => e.source)).toEqual([
      'line 1 (part 1 of 4), account 1 (A)',
      'line 2 (part 3 of 4), account 1 (C)',
    ]);
    expect(parsed.notImported).toEqual([
      {
        source: 'Google Authenticator transfer, part 2 of 4',
        reason:
          'part 2 of 4 of the transfer is not in the file: its accounts are missing until that QR code is read too',
      },
      {
        source: 'Google Authenticator transfer, part 4 of 4',
        reason:
          'part 4 of 4 of the transfer is not in the file: its accounts are missing until that QR code is read too',
      },
    ]);
  });

  it('reads a QR code scanned twice once, and keeps two transfers with their own batch ids apart', async () => {
    const first = transfer([{ name: 'one', issuer: 'A' }], { size: 2, index: 0, id: 1 });
    const parsed = await readImport(
      text(
        first,
        first,
        transfer([{ name: 'two', issuer: 'B' }], { size: 2, index: 1, id: 1 }),
        transfer([{ name: 'x', issuer: 'X' }], { size: 2, index: 0, id: 2 }),
      ),
    );
    expect(parsed.entries.map((e) => e.input.service)).toEqual(['A', 'B', 'X']);
    expect(parsed.notImported.map((n) => n.source)).toEqual([
      'line 2 (part 1 of 2)',
      'Google Authenticator transfer, part 2 of 2',
    ]);
  });

  it('lists an account with an enum value it does not know, and keeps the others', async () => {
    const parsed = await readImport(
      text(
        transfer([
          { name: 'a', issuer: 'A', type: 3 },
          { name: 'b', issuer: 'B', digits: 7 },
          { name: 'c', issuer: 'C' },
        ]),
      ),
    );
    expect(parsed.entries.map((e) => e.input.service)).toEqual(['C']);
    expect(parsed.notImported.map((n) => n.reason)).toEqual([
      'the otp type 3 is not one Google Authenticator defines (1 HOTP, 2 TOTP)',
      'the digits 7 is not one Google Authenticator defines (1 six, 2 eight)',
    ]);
  });

  it('reads base64 that lost its %-encoding or is URL-safe', async () => {
    const bytes = encodePayload({
      otp: [{ secret: Uint8Array.from({ length: 20 }, () => 0xfb), name: 'a', issuer: 'A' }],
    });
    const base64 = Buffer.from(bytes).toString('base64');
    expect(base64).toMatch(/[+/]/);
    for (const data of [base64, base64.replace(/\+/g, '-').replace(/\//g, '_')]) {
      const parsed = await readImport(text(`otpauth-migration://offline?data=${data}`));
      expect(parsed.entries).toHaveLength(1);
    }
  });
});

describe('readImport on damaged transfers', () => {
  const uri = (bytes: number[]) => migrationUri(Uint8Array.from(bytes));

  it('refuses a field of the wrong wire type, naming the field', async () => {
    const refusal = await importRefusal(readImport(text(uri([...tag(1, 0), ...varint(5)]))));
    expect(refusal.reason).toBe('damaged');
    expect(refusal.message).toBe(
      'the Google Authenticator transfer on line 1 is damaged: it holds field 1 (otp_parameters) with wire type varint, expected length-delimited',
    );
    const inner = await importRefusal(
      readImport(text(uri(lengthDelimited(1, [...lengthDelimited(1, SECRET), ...tag(6, 2), 0])))),
    );
    expect(inner.message).toContain('field 6 (type) with wire type length-delimited, expected varint');
  });

  it('refuses groups, wire types 6 and 7, field 0, and an 11-byte varint', async () => {
    for (const bytes of [[...tag(9, 3)], [0x0e], [0x07], [0x00, 0x01], [...tag(2, 0), ...Array(10).fill(0x80), 0x01]]) {
      expect((await importRefusal(readImport(text(uri(bytes))))).reason).toBe('damaged');
    }
  });

  it('refuses a length that runs past the end, and a truncated payload', async () => {
    const lying = await importRefusal(readImport(text(uri([...tag(1, 2), ...varint(1_000_000), 1, 2, 3]))));
    expect(lying.message).toContain('a field of 1000000 bytes where 3 remain');
    const whole = encodeOtpParameters({ secret: SECRET, name: 'a' });
    const cut = lengthDelimited(1, whole).slice(0, -3);
    expect((await importRefusal(readImport(text(uri(cut))))).reason).toBe('damaged');
  });

  it('skips fields a newer app version adds, of every scalar wire type', async () => {
    const known = lengthDelimited(1, encodeOtpParameters({ secret: SECRET, name: 'a', issuer: 'A' }));
    const extra = [
      ...tag(20, 0),
      1,
      ...tag(21, 1),
      ...Array(8).fill(0),
      ...tag(22, 5),
      0,
      0,
      0,
      0,
      ...lengthDelimited(23, [1]),
    ];
    expect((await readImport(text(uri([...extra, ...known])))).entries).toHaveLength(1);
  });

  it('refuses a 10 KB transfer URI before decoding it, and data that is not base64', async () => {
    const long = await importRefusal(readImport(text(`otpauth-migration://offline?data=${'A'.repeat(10_240)}`)));
    expect(long.reason).toBe('too-large');
    expect(long.message).toBe(
      'the Google Authenticator transfer on line 1 has 10273 characters, more than the 4296 a QR code can hold',
    );
    expect((await importRefusal(readImport(text('otpauth-migration://offline?data=%%%')))).reason).toBe('damaged');
    expect((await importRefusal(readImport(text('otpauth-migration://offline?data=ab$c')))).reason).toBe('damaged');
    expect((await importRefusal(readImport(text('otpauth-migration://offline?nodata=1')))).reason).toBe('damaged');
  });

  it('refuses a batch index outside its batch size', async () => {
    const refusal = await importRefusal(readImport(text(transfer([{ name: 'a' }], { size: 2, index: 5, id: 1 }))));
    expect(refusal.message).toContain('says it is part 6 of 2');
  });
});
