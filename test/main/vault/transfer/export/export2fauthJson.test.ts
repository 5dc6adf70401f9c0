import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOtpauthUri } from '../../../../../src/main/vault/entries/index.js';
import { export2fauthJson, exportOtpauthText } from '../../../../../src/main/vault/transfer/export/index.js';
import { GROUP, ICON_PNG, icons, sampleEntries } from '../transferFixtures.js';

const fixture = join(import.meta.dirname, '../../../../fixtures/transfer/2fauth-export.json');
type Item = Record<string, unknown>;
type Document = { app: string; schema: number; datetime: string; data: Item[] };

const kind = (value: unknown) => (value === null ? 'null' : typeof value);

describe('export2fauthJson', () => {
  it('writes the members of 2FAuth’s own export, in its order and with its types', async () => {
    const theirs = JSON.parse(await readFile(fixture, 'utf8')) as Document;
    const now = new Date('2026-03-04T05:06:07.089Z');
    const ours = JSON.parse(export2fauthJson(sampleEntries(), [GROUP], { now, icons }).toString('utf8')) as Document;
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    expect(ours).toMatchObject({ schema: theirs.schema, datetime: '2026-03-04T05:06:07.089Z' });
    expect(ours.data).toHaveLength(4);
    const [theirTotp, theirHotp] = theirs.data as [Item, Item];
    const [withIcon, hotp] = ours.data as [Item, Item];
    for (const item of ours.data) expect(Object.keys(item)).toEqual(Object.keys(theirTotp));
    for (const name of Object.keys(theirTotp))
      expect([name, kind(withIcon[name])]).toEqual([name, kind(theirTotp[name])]);
    for (const name of Object.keys(theirHotp)) expect([name, kind(hotp[name])]).toEqual([name, kind(theirHotp[name])]);
  });

  it('passes the checks 2FAuth’s MigratorFactory and TwoFAuthMigrator make before importing', () => {
    const ours = JSON.parse(export2fauthJson(sampleEntries(), []).toString('utf8')) as Document;
    // MigratorFactory::isTwoFAuthJSON: `schema` present, `app` starting with 2fauth_, these members present per item.
    expect(ours.app.startsWith('2fauth_')).toBe(true);
    for (const item of ours.data) {
      for (const name of ['otp_type', 'service', 'account', 'secret', 'digits', 'algorithm', 'period', 'counter'])
        expect(item).toHaveProperty(name);
      // TwoFAuthMigrator reads legacy_uri without checking that it exists.
      expect(typeof item.legacy_uri).toBe('string');
      expect(['totp', 'hotp', 'steamtotp']).toContain(item.otp_type);
      expect(['sha1', 'sha256', 'sha512', 'md5']).toContain(item.algorithm);
    }
  });

  it('carries each entry’s fields, its icon as MIME type and base64, and nulls where 2FAuth has them', () => {
    const entries = sampleEntries();
    const ours = JSON.parse(export2fauthJson(entries, [], { icons }).toString('utf8')) as Document;
    expect(ours.data[0]).toMatchObject({
      service: 'GitHub',
      account: 'alice@example.com',
      secret: entries[0]!.secret,
      icon: 'github.png',
      icon_mime: 'image/png',
      icon_file: ICON_PNG.toString('base64'),
      period: 30,
      counter: null,
    });
    expect(ours.data[1]).toMatchObject({ otp_type: 'hotp', digits: 8, algorithm: 'sha256', period: null, counter: 42 });
    expect(ours.data[2]).toMatchObject({ otp_type: 'steamtotp', digits: 5, period: 30, icon: null, icon_mime: null });
    expect(ours.data[3]).toMatchObject({ service: 'Çafé ☕', account: 'ünïcødé 名前' });
    const withoutLookup = JSON.parse(export2fauthJson(entries, []).toString('utf8')) as Document;
    expect(withoutLookup.data[0]).toMatchObject({ icon: 'github.png', icon_mime: null, icon_file: null });
  });
});

describe('exportOtpauthText', () => {
  it('writes one URI per line that reads back to each entry’s fields', () => {
    const entries = sampleEntries();
    const text = exportOtpauthText(entries).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(entries.length);
    lines.forEach((line, i) => {
      const entry = entries[i]!;
      expect(parseOtpauthUri(line)).toMatchObject({
        otp_type: entry.otp_type,
        service: entry.service,
        account: entry.account,
        secret: entry.secret,
        digits: entry.digits,
        algorithm: entry.algorithm,
        period: entry.period,
        counter: entry.counter,
      });
    });
  });
});
