// `latchkey import` and `latchkey export` in-process over real data folders and a virtual key: the preview and its one
// write, refusals that write nothing, every export format's file (mode 0600, "NOT encrypted"), and QR pictures back in.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatOtpauthUri, parseOtpauthUri } from '../../../src/main/vault/entries/index.js';
import { readImport } from '../../../src/main/vault/transfer/import/index.js';
import { decodeQrImage } from '../../../src/main/vault/transfer/qr/index.js';
import { captureCli, runLatchkey } from '../../support/cliRun.js';
import { base32 } from '../vault/entries/entryFixtures.js';

/** What `--password-stdin` reads: the commands read process.stdin, which an in-process test stands in for here. */
const stdin = vi.hoisted(() => ({ text: '' }));
vi.mock('../../../src/main/cli/vault/readStdin.js', () => ({
  readStdin: async () => Buffer.from(stdin.text, 'utf8'),
}));

const PASSWORD = 'correct horse battery staple';
const EXPORT_PASSWORD = 'export pässword 1';
const FIXTURES = join(import.meta.dirname, '../../fixtures/import');
/** test/fixtures/import/README.md */
const AEGIS_FIXTURE_PASSWORD = 'latchkey fixture password';
const DECRYPTOR = join(import.meta.dirname, '../../../scripts/decrypt-vault.mjs');
/** Each command signs in (Argon2id at its floor) and an export asks the password again: seconds under load. */
const TIMEOUT_MS = 120_000;

/** A distinct base32 secret per number (16 bytes). */
const secretOf = (n: number) => base32(Uint8Array.from({ length: 16 }, (_, i) => (n * 37 + i * 11 + 5) & 0xff));

/** Already in the vault before any import: the file's GitHub entry duplicates it by secret. */
const EXISTING = `otpauth://totp/Old%20GitHub:ada?secret=${secretOf(1)}&issuer=Old%20GitHub`;

/**
 * Three to add (one in each type), one with the secret of the vault's entry, one with the service and account of an
 * earlier line, and two lines that cannot be imported.
 */
const IMPORT_LINES = [
  `otpauth://totp/GitHub:ada?secret=${secretOf(1)}&issuer=GitHub`,
  `otpauth://totp/Proton%20Mail:ada?secret=${secretOf(2)}&issuer=Proton%20Mail&algorithm=SHA256&digits=8&period=60`,
  `otpauth://hotp/Bank:ada?secret=${secretOf(3)}&issuer=Bank&counter=7`,
  `otpauth://steam/Steam:ada?secret=${secretOf(4)}&issuer=Steam`,
  `otpauth://totp/bank:ADA?secret=${secretOf(5)}&issuer=bank`,
  'not a URI at all',
  `otpauth://totp/Broken:x?secret=${secretOf(6)}&digits=3&issuer=Broken`,
];
const IMPORT_SECRETS = [1, 2, 3, 4, 5, 6].map(secretOf);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-transfer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  stdin.text = '';
});

function signedIn() {
  return captureCli({ env: { ...process.env, LATCHKEY_PASSWORD: PASSWORD } });
}

interface Home {
  dataDir: string;
  key: string;
}

async function newHome(name: string): Promise<Home> {
  const home = { dataDir: join(dir, name), key: join(dir, `${name}-key.json`) };
  const made = await runLatchkey(home, ['account', 'create', '--email', 'ada@example.com'], signedIn());
  expect(made.code, made.text()).toBe(0);
  return home;
}

async function vaultFile(home: Home): Promise<string> {
  const names = await readdir(join(home.dataDir, 'vaults'));
  return join(
    home.dataDir,
    'vaults',
    names.find((n) => n.endsWith('.json'))!,
  );
}

/** The vault file and its backups, byte for byte: what "writes nothing" compares. */
async function vaultFiles(home: Home): Promise<Record<string, Buffer>> {
  const folder = join(home.dataDir, 'vaults');
  const files: Record<string, Buffer> = {};
  for (const name of (await readdir(folder)).sort()) files[name] = await readFile(join(folder, name));
  return files;
}

async function entryList(home: Home): Promise<{ id: string; service: string; account: string; otp_type: string }[]> {
  const listed = await runLatchkey(home, ['entry', 'list', '--json'], signedIn());
  expect(listed.code, listed.text()).toBe(0);
  return JSON.parse(listed.out.join('\n')).entries;
}

async function importFile(name: string, lines: readonly string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('latchkey import', () => {
  let home: Home;
  let file: string;
  beforeAll(async () => {
    home = await newHome('import');
    const added = await runLatchkey(home, ['entry', 'add', '--uri', EXISTING], signedIn());
    expect(added.code, added.text()).toBe(0);
    file = await importFile('accounts.txt', IMPORT_LINES);
  }, TIMEOUT_MS);

  it('--dry-run prints the preview and writes nothing', { timeout: TIMEOUT_MS }, async () => {
    const before = await vaultFiles(home);
    const run = await runLatchkey(home, ['import', '--dry-run', file], signedIn());
    expect(run.code, run.text()).toBe(0);
    const out = run.out.join('\n');
    expect(out).toContain('Read as otpauth URIs.');
    expect(out).toMatch(/^3 to add:$/m);
    expect(out).toMatch(/^ {2}\+ Proton Mail \(ada\), totp {2}\(accounts\.txt: line 2\)$/m);
    expect(out).toMatch(/^ {2}\+ Bank \(ada\), hotp {2}\(accounts\.txt: line 3\)$/m);
    expect(out).toMatch(/^ {2}\+ Steam \(ada\), steamtotp {2}\(accounts\.txt: line 4\)$/m);
    expect(out).toMatch(/^2 already there, not added:$/m);
    expect(out).toMatch(
      /^ {2}= GitHub \(ada\), totp: the same secret as entry [0-9a-f]{8} {2}\(accounts\.txt: line 1\)$/m,
    );
    expect(out).toMatch(
      /^ {2}= bank \(ADA\), totp: the same service and account as earlier in the import {2}\(accounts\.txt: line 5\)$/m,
    );
    expect(out).toMatch(/^2 cannot be imported:$/m);
    expect(out).toMatch(
      /^ {2}! accounts\.txt: line 6: the line is not an otpauth:\/\/ or otpauth-migration:\/\/ URI$/m,
    );
    expect(out).toMatch(/^ {2}! accounts\.txt: line 7: .*digits.*$/m);
    expect(out).toContain('Nothing was written (--dry-run).');
    for (const secret of IMPORT_SECRETS) expect(run.text()).not.toContain(secret);
    expect(await vaultFiles(home)).toEqual(before);
  });

  it('--dry-run --json gives the preview as data, without a secret', { timeout: TIMEOUT_MS }, async () => {
    const run = await runLatchkey(home, ['import', '--dry-run', '--json', file], signedIn());
    expect(run.code, run.text()).toBe(0);
    const body = JSON.parse(run.out.join('\n'));
    expect(body.format).toBe('otpauth');
    expect(body.added).toEqual([]);
    expect(body.preview.toAdd.map((e: { service: string }) => e.service)).toEqual(['Proton Mail', 'Bank', 'Steam']);
    expect(body.preview.duplicates.map((d: { service: string; reason: string }) => [d.service, d.reason])).toEqual([
      ['GitHub', 'same-secret'],
      ['bank', 'same-service-and-account'],
    ]);
    expect(body.preview.notImported.map((n: { source: string }) => n.source)).toEqual([
      'accounts.txt: line 6',
      'accounts.txt: line 7',
    ]);
    for (const secret of IMPORT_SECRETS) expect(run.text()).not.toContain(secret);
    expect(run.text()).not.toMatch(/"secret"/);
  });

  it('--yes adds them in one write, and importing the file again adds nothing', { timeout: TIMEOUT_MS }, async () => {
    const vault = await vaultFile(home);
    const before = await readFile(vault);
    const run = await runLatchkey(home, ['import', '--yes', file], signedIn());
    expect(run.code, run.text()).toBe(0);
    expect(run.out.join('\n')).toContain('Added 3 entries.');
    // One write: the file as it was before the import is the newest backup.
    expect(await readFile(`${vault}.bak-1`)).toEqual(before);
    const entries = await entryList(home);
    expect(entries.map((e) => [e.service, e.account, e.otp_type])).toEqual([
      ['Old GitHub', 'ada', 'totp'],
      ['Proton Mail', 'ada', 'totp'],
      ['Bank', 'ada', 'hotp'],
      ['Steam', 'ada', 'steamtotp'],
    ]);

    const after = await vaultFiles(home);
    const again = await runLatchkey(home, ['import', '--yes', '--json', file], signedIn());
    expect(again.code, again.text()).toBe(0);
    const body = JSON.parse(again.out.join('\n'));
    expect(body.preview.toAdd).toEqual([]);
    expect(body.preview.duplicates.map((d: { reason: string }) => d.reason)).toEqual([
      'same-secret',
      'same-secret',
      'same-secret',
      'same-secret',
      'same-service-and-account',
    ]);
    expect(body.added).toEqual([]);
    expect(await vaultFiles(home)).toEqual(after);
  });

  it('an encrypted Aegis file with a wrong password says so and writes nothing', { timeout: TIMEOUT_MS }, async () => {
    const before = await vaultFiles(home);
    stdin.text = 'not the fixture password\n';
    const run = await runLatchkey(
      home,
      ['import', '--yes', '--password-stdin', join(FIXTURES, 'aegis-encrypted.json')],
      signedIn(),
    );
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/the password does not open the Aegis file's password slot/);
    expect(await vaultFiles(home)).toEqual(before);

    // The right one opens it: the refusal was the password's, not the file's.
    stdin.text = `${AEGIS_FIXTURE_PASSWORD}\n`;
    const right = await runLatchkey(
      home,
      ['import', '--dry-run', '--json', '--password-stdin', join(FIXTURES, 'aegis-encrypted.json')],
      signedIn(),
    );
    expect(right.code, right.text()).toBe(0);
    expect(JSON.parse(right.out.join('\n')).format).toBe('aegis-encrypted');
  });

  it(
    'a file of no known format gets one sentence naming the formats tried (exit 2)',
    { timeout: TIMEOUT_MS },
    async () => {
      const before = await vaultFiles(home);
      const path = await importFile('notes.txt', ['my shopping list', 'eggs']);
      const run = await runLatchkey(home, ['import', '--yes', path], signedIn());
      expect(run.code).toBe(2);
      expect(run.err).toEqual([
        'latchkey import: the file is none of the formats Latchkey reads (tried 2FAuth JSON, Aegis JSON (plain or encrypted), 2FAS, ' +
          'Bitwarden JSON, otpauth URIs, Google Authenticator transfer URIs and Ente Auth text): it is text, but no ' +
          'line is an otpauth:// or otpauth-migration:// URI',
      ]);
      expect(await vaultFiles(home)).toEqual(before);
    },
  );

  it('a missing file is exit 2 and names the file', { timeout: TIMEOUT_MS }, async () => {
    const missing = join(dir, 'no-such-export.json');
    const run = await runLatchkey(home, ['import', '--yes', missing], signedIn());
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toContain(`${missing} is not a file that exists`);
  });
});

describe('latchkey export', () => {
  let home: Home;
  /** Twelve entries Google's transfer carries (two codes at ten a code), then a Steam entry it cannot carry. */
  const uris = [
    ...Array.from(
      { length: 12 },
      (_, i) => `otpauth://totp/Service%20${i}:ünï%20${i}?secret=${secretOf(100 + i)}&issuer=Service%20${i}`,
    ),
    `otpauth://steam/Steam:gabe?secret=${secretOf(200)}&issuer=Steam`,
  ];
  const secrets = [...Array.from({ length: 12 }, (_, i) => secretOf(100 + i)), secretOf(200)];

  beforeAll(async () => {
    home = await newHome('export');
    const run = await runLatchkey(home, ['import', '--yes', await importFile('export-source.txt', uris)], signedIn());
    expect(run.code, run.text()).toBe(0);
  }, TIMEOUT_MS);

  async function exportTo(args: string[], password?: string) {
    if (password !== undefined) stdin.text = `${password}\n`;
    return runLatchkey(home, ['export', ...args], signedIn());
  }

  async function mode(path: string): Promise<number> {
    return (await stat(path)).mode & 0o777;
  }

  it('writes each plain format 0600, says it is NOT encrypted, and reads back', { timeout: TIMEOUT_MS }, async () => {
    for (const [format, name, read] of [
      ['2fauth', 'export.2fauth.json', '2fauth'],
      ['otpauth', 'export.txt', 'otpauth'],
      ['aegis', 'export.aegis.json', 'aegis'],
    ] as const) {
      const out = join(dir, name);
      const run = await exportTo(['--format', format, '--out', out]);
      expect(run.code, run.text()).toBe(0);
      expect(run.out.join('\n')).toContain(`Wrote 13 entries to ${out}`);
      expect(run.out.join('\n')).toContain('It is NOT encrypted');
      expect(await mode(out)).toBe(0o600);
      const parsed = await readImport(await readFile(out));
      expect([parsed.format, parsed.entries.length]).toEqual([read, 13]);
      expect(parsed.entries.map((e) => e.input.secret).sort()).toEqual([...secrets].sort());
    }
  });

  it('needs --force to replace a file, and leaves it as it was without', { timeout: TIMEOUT_MS }, async () => {
    const out = join(dir, 'replace-me.txt');
    await writeFile(out, 'precious\n');
    const refused = await exportTo(['--format', 'otpauth', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain(`${out} exists: choose another --out, or --force to replace it`);
    expect(await readFile(out, 'utf8')).toBe('precious\n');
    const forced = await exportTo(['--format', 'otpauth', '--out', out, '--force']);
    expect(forced.code, forced.text()).toBe(0);
    expect((await readImport(await readFile(out))).entries).toHaveLength(13);
    expect(await mode(out)).toBe(0o600);
  });

  it('an encrypted Aegis export opens with the export password only', { timeout: TIMEOUT_MS }, async () => {
    const out = join(dir, 'export.aegis-encrypted.json');
    const run = await exportTo(['--format', 'aegis', '--encrypt', '--password-stdin', '--out', out], EXPORT_PASSWORD);
    expect(run.code, run.text()).toBe(0);
    expect(run.out.join('\n')).toContain('It is encrypted with the export password.');
    expect(run.out.join('\n')).not.toContain('NOT encrypted');
    expect(await mode(out)).toBe(0o600);
    const bytes = await readFile(out);
    for (const secret of secrets) expect(bytes.toString('utf8')).not.toContain(secret);
    const parsed = await readImport(bytes, { password: async () => Buffer.from(EXPORT_PASSWORD, 'utf8') });
    expect([parsed.format, parsed.entries.length]).toEqual(['aegis-encrypted', 13]);
  });

  it(
    'an encrypted Latchkey export opens with scripts/decrypt-vault.mjs and the password',
    { timeout: TIMEOUT_MS },
    async () => {
      const out = join(dir, 'export.latchkey.json');
      const run = await exportTo(['--format', 'latchkey', '--password-stdin', '--out', out], EXPORT_PASSWORD);
      expect(run.code, run.text()).toBe(0);
      expect(run.out.join('\n')).toContain('It is encrypted with the export password.');
      expect(await mode(out)).toBe(0o600);
      for (const secret of secrets) expect((await readFile(out)).toString('utf8')).not.toContain(secret);
      const { stdout } = await promisify(execFile)(process.execPath, [DECRYPTOR, out], {
        env: { PATH: process.env.PATH ?? '', LATCHKEY_PASSWORD: EXPORT_PASSWORD },
      });
      const decrypted = JSON.parse(stdout) as { data: { secret: string; service: string }[] };
      expect(decrypted.data.map((e) => e.secret).sort()).toEqual([...secrets].sort());
      // The account's password is not the export's.
      await expect(
        promisify(execFile)(process.execPath, [DECRYPTOR, out], {
          env: { PATH: process.env.PATH ?? '', LATCHKEY_PASSWORD: PASSWORD },
        }),
      ).rejects.toThrow();
    },
  );

  it(
    '--format qr --entry ID writes a PNG that decodes to the entry’s otpauth URI',
    { timeout: TIMEOUT_MS },
    async () => {
      const entry = (await entryList(home)).find((e) => e.service === 'Service 3')!;
      const out = join(dir, 'one.png');
      const run = await exportTo(['--format', 'qr', '--entry', entry.id, '--out', out]);
      expect(run.code, run.text()).toBe(0);
      expect(run.out.join('\n')).toContain('It is NOT encrypted');
      expect(await mode(out)).toBe(0o600);
      expect(await decodeQrImage(await readFile(out))).toEqual([formatOtpauthUri(parseOtpauthUri(uris[3]))]);
    },
  );

  it(
    'google-qr writes numbered files, leaves Steam out, and the pictures import into another folder',
    { timeout: TIMEOUT_MS },
    async () => {
      const out = join(dir, 'transfer.png');
      const run = await exportTo(['--format', 'google-qr', '--out', out]);
      expect(run.code, run.text()).toBe(0);
      const files = [join(dir, 'transfer-1.png'), join(dir, 'transfer-2.png')];
      const said = run.out.join('\n');
      expect(said).toContain(`Wrote 12 entries to ${files.join(', ')}`);
      expect(said).toContain('Not exported: Steam is a Steam entry');
      expect(said).toContain('It is NOT encrypted: anyone who reads them has these 2FA secrets.');
      for (const file of files) expect(await mode(file)).toBe(0o600);
      await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });

      const other = await newHome('from-pictures');
      const imported = await runLatchkey(other, ['import', '--yes', '--json', ...files], signedIn());
      expect(imported.code, imported.text()).toBe(0);
      expect(JSON.parse(imported.out.join('\n')).format).toBe('google-migration');
      const entries = await entryList(other);
      expect(entries.map((e) => [e.service, e.account]).sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => [`Service ${i}`, `ünï ${i}`]).sort(),
      );
    },
  );
});
