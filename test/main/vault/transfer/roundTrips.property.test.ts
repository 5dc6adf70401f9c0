// Property tests of issue #11's round trips: for every export format Latchkey also reads, import(export(vault)) gives
// back the vault's entries, field for field, for generated vaults (every type, algorithm, digits, period, counter,
// unicode names, groups, notes, icons).
//
// What each format carries, and so what is compared:
// - 2FAuth JSON: every entry field and the icon (2FAuth's export has no groups and no notes: those are dropped);
// - otpauth text: every entry field (a URI has no groups, notes or icons: dropped);
// - Aegis, plain or encrypted: every entry field, the groups by name, the note and PNG/JPEG/SVG icons (Aegis has no
//   WebP or BMP icon type: those icons are dropped; favourites come back false, as the vault has none);
// - Google Authenticator transfer (URIs, and QR codes decoded back from PNG): only entries it can carry
//   (googleMigrationMisfit: no Steam, 6 or 8 digits, a 30 s period); every field of those, no groups, notes or icons.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALGORITHMS,
  newEntry,
  type OtpAlgorithm,
  type VaultEntry,
  type VaultGroup,
} from '../../../../src/main/vault/entries/index.js';
import { foldForSearch } from '../../../../src/main/vault/entries/foldForSearch.js';
import { MAX_DIGITS, MAX_PERIOD, MIN_DIGITS } from '../../../../src/main/vault/entries/vaultEntry.js';
import {
  export2fauthJson,
  exportAegisJson,
  exportOtpauthText,
  type IconImage,
} from '../../../../src/main/vault/transfer/export/index.js';
import { readImport, type ParsedImport } from '../../../../src/main/vault/transfer/import/index.js';
import {
  decodeQrImage,
  googleMigrationMisfit,
  googleMigrationUris,
  qrPng,
} from '../../../../src/main/vault/transfer/qr/index.js';
import { base32, NOW } from '../entries/entryFixtures.js';
import { ICON_PNG } from './transferFixtures.js';

/** Runs per property: modest, so that the encrypted Aegis runs (scrypt at Aegis' own cost, twice) fit under load. */
const RUNS = 30;
/** Drawing and decoding QR codes takes a few hundred milliseconds a code. */
const QR_RUNS = 8;
const TIMEOUT_MS = 180_000;

/** Icons by file name: each type 2FAuth reads, so that the formats' icon support is exercised type by type. */
const ICONS: Readonly<Record<string, IconImage>> = {
  'logo.png': { mime: 'image/png', data: ICON_PNG },
  'logo.svg': {
    mime: 'image/svg+xml',
    data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'),
  },
  'logo.jpg': { mime: 'image/jpeg', data: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex') },
  'logo.webp': { mime: 'image/webp', data: Buffer.from('RIFF\u0004\u0000\u0000\u0000WEBPVP8 ', 'latin1') },
};
const icons = (name: string) => ICONS[name];
/** The icon types Aegis has (its IconType). */
const AEGIS_ICON_MIMES = new Set(['image/png', 'image/jpeg', 'image/svg+xml']);

/** Unicode text (whole graphemes, so no lone surrogate), ASCII punctuation and spaces that a trim must not eat inside. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.string({ unit: fc.constantFrom('a', ' ', '%', '&', '=', '?', '#', '/', '+', '@', 'é', '☕', '名'), maxLength }),
  );

/** A name as checkEntry stores it: no control characters, trimmed, not empty; `:` only where `colon` allows it. */
const name = (colon: boolean) =>
  text(24)
    .map((s) => {
      const clean = s.replace(/\p{Cc}/gu, '');
      return (colon ? clean : clean.replace(/:/g, '')).trim();
    })
    .filter((s) => s !== '' && s.length <= 255);

/** The groups of a vault: names unique as the vault compares them (folded), at most 32 characters. */
const groupsArb = fc
  .uniqueArray(
    fc
      .string({ unit: 'grapheme', maxLength: 12 })
      .map((s) => s.replace(/\p{Cc}/gu, '').trim())
      .filter((s) => s !== '' && s.length <= 32),
    { maxLength: 3, selector: (s) => foldForSearch(s) },
  )
  .map((names) =>
    names.map((groupName, i): VaultGroup => ({
      id: `99999999-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      name: groupName,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })),
  );

interface EntryDraft {
  fields: Record<string, unknown>;
  icon: string | null;
  note: string;
  /** Indexes into the vault's groups (taken modulo their number). */
  groups: number[];
}

const algorithm = fc.constantFrom<OtpAlgorithm>(...ALGORITHMS);
/** 10 bytes (80 bits, the shortest checkEntry takes) to 64; stored as base32 from bytes, as every format reads it. */
const secret = fc.uint8Array({ minLength: 10, maxLength: 64 }).map(base32);
const counter = fc.oneof(fc.nat({ max: 1000 }), fc.maxSafeNat());
const period = fc.oneof(fc.constant(30), fc.integer({ min: 1, max: MAX_PERIOD }));
const digits = fc.integer({ min: MIN_DIGITS, max: MAX_DIGITS });

/** An account: none, any name (a `:` included), or one that starts with the service and a colon as labels do. */
const account = (service: string) =>
  fc.oneof(
    fc.constant(''),
    name(true),
    name(true).map((rest) => `${service}:${rest}`),
  );

const draft: fc.Arbitrary<EntryDraft> = name(false).chain((service) =>
  fc.record({
    fields: fc.oneof(
      fc.record({
        otp_type: fc.constant('totp'),
        service: fc.constant(service),
        account: account(service),
        secret,
        algorithm,
        digits,
        period,
      }),
      fc.record({
        otp_type: fc.constant('hotp'),
        service: fc.constant(service),
        account: account(service),
        secret,
        algorithm,
        digits,
        counter,
      }),
      fc.record({
        otp_type: fc.constant('steamtotp'),
        service: fc.constant(service),
        account: account(service),
        secret,
      }),
    ),
    icon: fc.option(fc.constantFrom(...Object.keys(ICONS)), { nil: null }),
    note: fc.oneof(
      fc.constant(''),
      text(40),
      fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `${s}\n\t`),
    ),
    groups: fc.uniqueArray(fc.nat({ max: 2 }), { maxLength: 3 }),
  }),
);

interface Vault {
  entries: VaultEntry[];
  groups: VaultGroup[];
}

/** A vault's entries as the vault stores them (each through checkEntry by newEntry), in list order. */
const vaultArb = (maxEntries: number, minEntries = 0): fc.Arbitrary<Vault> =>
  fc
    .record({ groups: groupsArb, drafts: fc.array(draft, { minLength: minEntries, maxLength: maxEntries }) })
    .map(({ groups, drafts }) => ({
      groups,
      entries: drafts.map((d, i) => ({
        ...newEntry({
          input: { ...d.fields, icon: d.icon, note: d.note },
          id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
          now: NOW,
          order: i,
        }),
        groups: groups.length ? [...new Set(d.groups.map((g) => groups[g % groups.length]!.id))] : [],
      })),
    }));

/** What a format carries of an entry, in the shape a ParsedImport's entries have. */
interface Carried {
  groups?: boolean;
  note?: boolean;
  /** Which icon types come back. */
  iconMimes?: ReadonlySet<string>;
}

function expectedEntries(vault: Vault, carried: Carried) {
  const groupNames = new Map(vault.groups.map((g) => [g.id, g.name]));
  return vault.entries.map((entry) => {
    const icon = entry.icon === null ? undefined : ICONS[entry.icon];
    const keptIcon = icon && carried.iconMimes?.has(icon.mime) ? icon : undefined;
    return {
      input: {
        otp_type: entry.otp_type,
        service: entry.service,
        account: entry.account,
        secret: entry.secret,
        digits: entry.digits,
        algorithm: entry.algorithm,
        period: entry.period,
        counter: entry.counter,
        // An import keeps the icon's bytes beside the entry, not a file name.
        icon: null,
        note: carried.note ? entry.note : '',
      },
      groups: carried.groups ? entry.groups.map((id) => groupNames.get(id)!) : [],
      note: carried.note && entry.note !== '' ? entry.note : undefined,
      icon: keptIcon ? { mime: keptIcon.mime, data: new Uint8Array(keptIcon.data) } : undefined,
    };
  });
}

/** The parsed entries without what the comparison does not cover: where each was in the file, favourites (false). */
function comparable(parsed: ParsedImport) {
  return parsed.entries.map((e) => ({
    input: e.input,
    groups: e.groups,
    note: e.note,
    icon: e.icon ? { mime: e.icon.mime, data: new Uint8Array(e.icon.data) } : undefined,
  }));
}

function expectRoundTrip(parsed: ParsedImport, format: ParsedImport['format'], vault: Vault, carried: Carried): void {
  expect(parsed.notImported).toEqual([]);
  if (vault.entries.length) expect(parsed.format).toBe(format);
  for (const entry of parsed.entries) expect(entry.warnings).toBeUndefined();
  expect(comparable(parsed)).toEqual(expectedEntries(vault, carried));
}

/** Entries sorted by their JSON: a comparison that ignores order. */
function inAnyOrder<T>(entries: T[]): T[] {
  const key = (e: T) => JSON.stringify(e, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The entries a Google transfer carries, the others left out as the export leaves them. */
function googleFit(vault: Vault): Vault {
  return { groups: vault.groups, entries: vault.entries.filter((e) => googleMigrationMisfit(e) === undefined) };
}

/** Entries the Google transfer can carry: TOTP at 30 s or HOTP, 6 or 8 digits, any algorithm. */
const googleDraft: fc.Arbitrary<EntryDraft> = draft.map((d) => ({
  ...d,
  fields: {
    ...d.fields,
    otp_type: d.fields.otp_type === 'hotp' ? 'hotp' : 'totp',
    digits: (d.fields.digits as number | undefined) === 8 ? 8 : 6,
    ...(d.fields.otp_type === 'hotp' ? {} : { period: 30 }),
  },
}));

const googleVaultArb = (maxEntries: number): fc.Arbitrary<Vault> =>
  fc.oneof(
    vaultArb(maxEntries, 1),
    fc.array(googleDraft, { minLength: 1, maxLength: maxEntries }).map((drafts) => ({
      groups: [],
      entries: drafts.map((d, i) =>
        newEntry({
          input: { ...d.fields, icon: d.icon, note: d.note },
          id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
          now: NOW,
          order: i,
        }),
      ),
    })),
  );

const PASSWORD = 'round trip pässword';
const passwordBytes = () => Promise.resolve(new Uint8Array(Buffer.from(PASSWORD, 'utf8')));

describe('import(export(vault)) gives the vault’s entries back (property)', () => {
  it('2FAuth JSON: every field and the icon', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(vaultArb(8), async (vault) => {
        const parsed = await readImport(export2fauthJson(vault.entries, vault.groups, { now: NOW, icons }));
        expectRoundTrip(parsed, '2fauth', vault, { iconMimes: new Set(Object.values(ICONS).map((i) => i.mime)) });
      }),
      { numRuns: RUNS },
    );
  });

  it('otpauth text: every field', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      // An empty vault gives an empty file, which an import refuses as empty (readImport's tests).
      fc.asyncProperty(vaultArb(8, 1), async (vault) => {
        const parsed = await readImport(exportOtpauthText(vault.entries));
        expectRoundTrip(parsed, 'otpauth', vault, {});
      }),
      { numRuns: RUNS },
    );
  });

  it('Aegis plain: every field, groups by name, notes, PNG/JPEG/SVG icons', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(vaultArb(8), async (vault) => {
        const parsed = await readImport(await exportAegisJson(vault.entries, vault.groups, { icons }));
        expectRoundTrip(parsed, 'aegis', vault, { groups: true, note: true, iconMimes: AEGIS_ICON_MIMES });
        expect(parsed.entries.every((e) => e.favourite === false)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('Aegis encrypted with a password: the same as plain', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(vaultArb(6), async (vault) => {
        const bytes = await exportAegisJson(vault.entries, vault.groups, {
          icons,
          password: Buffer.from(PASSWORD, 'utf8'),
        });
        const parsed = await readImport(bytes, { password: passwordBytes });
        expectRoundTrip(parsed, 'aegis-encrypted', vault, { groups: true, note: true, iconMimes: AEGIS_ICON_MIMES });
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('Google transfer URIs: every field of the entries it can carry', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(googleVaultArb(24), fc.integer({ min: 1, max: 10 }), async (vault, maxPerCode) => {
        const fit = googleFit(vault);
        fc.pre(fit.entries.length > 0);
        const uris = googleMigrationUris(fit.entries, { maxPerCode });
        // The codes of one transfer, in any order, join back into it: the accounts then come part by part.
        const parsed = await readImport(Buffer.from([...uris].reverse().join('\n'), 'utf8'));
        expect(parsed.notImported).toEqual([]);
        expect(inAnyOrder(comparable(parsed))).toEqual(inAnyOrder(expectedEntries(fit, {})));
      }),
      { numRuns: RUNS },
    );
  });

  it('Google transfer QR codes drawn as PNG and decoded back', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(googleVaultArb(12), async (vault) => {
        const fit = googleFit(vault);
        fc.pre(fit.entries.length > 0);
        const texts: string[] = [];
        for (const uri of googleMigrationUris(fit.entries, { maxPerCode: 5 })) {
          const found = await decodeQrImage(await qrPng(uri));
          expect(found).toEqual([uri]);
          texts.push(...found);
        }
        const parsed = await readImport(Buffer.from(texts.join('\n'), 'utf8'));
        expectRoundTrip(parsed, 'google-migration', fit, {});
      }),
      { numRuns: QR_RUNS },
    );
  });

  it('Google transfer: an account that starts with the service and a colon comes back whole', async () => {
    // Found by the property above: the reader takes a name `GitHub:ada` under the issuer GitHub as the account `ada`.
    const entry = newEntry({ input: { service: 'GitHub', account: 'GitHub: ada', secret: 'JBSWY3DPEHPK3PXP' } });
    const parsed = await readImport(Buffer.from(googleMigrationUris([entry]).join('\n'), 'utf8'));
    expect(parsed.entries.map((e) => [e.input.service, e.input.account])).toEqual([['GitHub', 'GitHub: ada']]);
  });
});
