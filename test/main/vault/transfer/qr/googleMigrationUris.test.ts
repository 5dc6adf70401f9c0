import { describe, expect, it } from 'vitest';
import type { VaultEntry } from '../../../../../src/main/vault/entries/index.js';
import {
  GoogleMigrationError,
  googleMigrationMisfit,
  googleMigrationUris,
} from '../../../../../src/main/vault/transfer/qr/index.js';
import { base32, makeEntry } from '../../entries/entryFixtures.js';
import { SECRET } from '../transferFixtures.js';

type Field = { field: number; value: number | Buffer };

/** A protobuf reader written here (varint and length-delimited fields only), independent of the writer under test. */
function readFields(data: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = data[at++]!;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
  };
  while (at < data.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) fields.push({ field: key >>> 3, value: varint() });
    else if (wire === 2) {
      const length = varint();
      fields.push({ field: key >>> 3, value: data.subarray(at, at + length) });
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

function decodePayload(uri: string) {
  const match = /^otpauth-migration:\/\/offline\?data=(.+)$/.exec(uri);
  if (!match) throw new Error('not a migration URI');
  const fields = readFields(Buffer.from(decodeURIComponent(match[1]!), 'base64'));
  const one = (n: number) => fields.find((f) => f.field === n)?.value;
  return {
    version: one(2),
    batchSize: one(3),
    batchIndex: one(4),
    batchId: one(5),
    otp: fields
      .filter((f) => f.field === 1)
      .map((f) => {
        const inner = readFields(f.value as Buffer);
        const get = (n: number) => inner.find((g) => g.field === n)?.value;
        return {
          secret: base32(get(1) as Buffer),
          name: (get(2) as Buffer).toString('utf8'),
          issuer: (get(3) as Buffer).toString('utf8'),
          algorithm: get(4),
          digits: get(5),
          type: get(6),
          counter: get(7),
        };
      }),
  };
}

describe('googleMigrationUris', () => {
  it('writes a MigrationPayload that decodes back to the entries (secret bytes, names, enums, counter)', () => {
    const entries = [
      makeEntry({ service: 'GitHub', account: 'alice@example.com' }),
      makeEntry({ otp_type: 'hotp', service: 'Bank', account: 'ünïcødé', counter: 9, digits: 8, algorithm: 'sha512' }),
    ];
    const uris = googleMigrationUris(entries, { batchId: 1234567 });
    expect(uris).toHaveLength(1);
    const payload = decodePayload(uris[0]!);
    expect(payload).toMatchObject({ version: 1, batchSize: 1, batchIndex: 0, batchId: 1234567 });
    expect(payload.otp).toEqual([
      {
        secret: SECRET,
        name: 'alice@example.com',
        issuer: 'GitHub',
        algorithm: 1,
        digits: 1,
        type: 2,
        counter: undefined,
      },
      { secret: SECRET, name: 'ünïcødé', issuer: 'Bank', algorithm: 3, digits: 2, type: 1, counter: 9 },
    ]);
  });

  it('splits a large transfer into codes that share a batch id and number themselves', () => {
    const entries = Array.from({ length: 5 }, (_, i) => makeEntry({ service: `Service ${i}` }));
    const uris = googleMigrationUris(entries, { maxPerCode: 2 });
    const payloads = uris.map(decodePayload);
    expect(payloads.map((p) => [p.batchIndex, p.batchSize, p.otp.length])).toEqual([
      [0, 3, 2],
      [1, 3, 2],
      [2, 3, 1],
    ]);
    expect(new Set(payloads.map((p) => p.batchId)).size).toBe(1);
    expect(payloads[0]!.batchId).toBeGreaterThan(0);
    expect(payloads.flatMap((p) => p.otp.map((o) => o.issuer))).toEqual(entries.map((e) => e.service));
  });

  it('keeps each code within its byte budget, ten entries at most by default', () => {
    const long = 'x'.repeat(250);
    const entries = Array.from({ length: 12 }, () => makeEntry({ service: long, account: long }));
    const uris = googleMigrationUris(entries);
    for (const uri of uris) expect(uri.length).toBeLessThan(2400);
    expect(uris.map(decodePayload).reduce((n, p) => n + p.otp.length, 0)).toBe(12);
    const short = googleMigrationUris(Array.from({ length: 12 }, () => makeEntry()));
    expect(short.map((uri) => decodePayload(uri).otp.length)).toEqual([10, 2]);
  });

  it('refuses entries the format cannot carry, naming them and why, never their secret', () => {
    const entries: VaultEntry[] = [
      makeEntry({ service: 'Fine' }),
      makeEntry({ otp_type: 'steamtotp', service: 'Steam' }),
      makeEntry({ service: 'Slow', period: 60 }),
      makeEntry({ service: 'Seven', digits: 7 }),
    ];
    expect(entries.map(googleMigrationMisfit)).toEqual([
      undefined,
      expect.stringMatching(/Steam/),
      'changes every 60 s, expected 30',
      'has 7 digits, expected 6 or 8',
    ]);
    const error = (() => {
      try {
        googleMigrationUris(entries);
      } catch (e) {
        return e;
      }
    })() as GoogleMigrationError;
    expect(error).toBeInstanceOf(GoogleMigrationError);
    expect(error.misfits.map((m) => m.id)).toEqual(entries.slice(1).map((e) => e.id));
    expect(error.message).toMatch(/cannot carry 3 of the entries: Steam \(alice\) is a Steam entry.*\(and 2 more\)/);
    expect(error.message).not.toContain(SECRET);
  });

  it('writes no code for no entries', () => {
    expect(googleMigrationUris([])).toEqual([]);
  });
});
