// The data files: schema-versioned JSON validated on load, atomic writes with rolling backups, damaged files left untouched.

import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DamagedStoreError, RelyingParty, defaultDataDir } from '../../../src/main/rp/index.js';
import { JsonStore } from '../../../src/main/store/JsonStore.js';
import {
  EMAIL,
  FAST_SCRYPT,
  PASSWORD,
  expectRefusal,
  newAccount,
  openRp,
  registerKey,
  signInWithKey,
  useTempDirs,
} from './fixture.js';
import { getAssertion, openTestKey } from '../../support/webauthnResponses.js';

const tempDir = useTempDirs();
const FILE = 'relying-party.json';

/** A data folder after `updates` writes, each of which took a backup (backupIntervalMs 0). */
async function folderWithHistory(updates: number): Promise<string> {
  const dataDir = await tempDir();
  const { rp } = await openRp(dataDir, { backupIntervalMs: 0 });
  const { user } = await newAccount(rp);
  for (let i = 1; i < updates; i++) await rp.regenerateRecoveryCode({ userId: user.id });
  return dataDir;
}

async function openFails(dataDir: string): Promise<DamagedStoreError> {
  const error = await RelyingParty.open({ dataDir, env: {}, scrypt: FAST_SCRYPT, minScrypt: FAST_SCRYPT }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DamagedStoreError);
  return error as DamagedStoreError;
}

describe('storage', () => {
  it('writes nothing until the first change, then a versioned file only the user can read', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir);
    expect(await readdir(dataDir)).toEqual([]);
    await newAccount(rp);
    const text = await readFile(join(dataDir, FILE), 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      format: 'latchkey-relying-party',
      version: 1,
      settings: { rp_id: 'latchkey.localhost' },
    });
    if (process.platform !== 'win32') expect((await stat(join(dataDir, FILE))).mode & 0o777).toBe(0o600);
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the last five versions as rolling backups, the newest in .bak-1', async () => {
    const dataDir = await folderWithHistory(8);
    const names = (await readdir(dataDir)).sort();
    expect(names).toEqual([
      'audit.jsonl',
      FILE,
      `${FILE}.bak-1`,
      `${FILE}.bak-2`,
      `${FILE}.bak-3`,
      `${FILE}.bak-4`,
      `${FILE}.bak-5`,
    ]);
    const current = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as {
      users: { recovery_code: { hash: { salt: string } } }[];
    };
    const previous = JSON.parse(await readFile(join(dataDir, `${FILE}.bak-1`), 'utf8')) as typeof current;
    expect(previous.users[0]!.recovery_code.hash.salt).not.toBe(current.users[0]!.recovery_code.hash.salt);
  });

  it('takes a new backup only when the newest is older than the backup interval, so a burst of writes keeps older history', async () => {
    const dataDir = await tempDir();
    const { rp } = await openRp(dataDir);
    const { user } = await newAccount(rp);
    for (let i = 0; i < 6; i++) await rp.regenerateRecoveryCode({ userId: user.id });
    expect((await readdir(dataDir)).filter((f) => f.includes('.bak-')).sort()).toEqual([`${FILE}.bak-1`]);
    const { rp: later } = await openRp(dataDir, { backupIntervalMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await later.regenerateRecoveryCode({ userId: user.id });
    expect((await readdir(dataDir)).filter((f) => f.includes('.bak-')).sort()).toEqual([
      `${FILE}.bak-1`,
      `${FILE}.bak-2`,
    ]);
  });

  const RESTORE =
    /The newest backup that loads, relying-party\.json\.bak-1, was saved [0-9T:.Z-]+ \(.* ago\): restoring it loses every change made since then\. To restore: run "latchkey restore"/;
  it.each([
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2)), /it is not valid JSON/, RESTORE],
    ['empty', () => '', /it is empty \(0 bytes\), as a truncated write leaves it/, RESTORE],
    ['invalid JSON', () => '{ "format": "latchkey-relying-party", version: 1 }', /it is not valid JSON/, RESTORE],
    [
      'a newer schema version',
      (text: string) => text.replace('"version": 1', '"version": 99'),
      /schema version 99, written by a newer Latchkey; this one reads version 1/,
      /Upgrade Latchkey to the version that wrote it \(or newer\); do not restore a backup/,
    ],
    [
      'another kind of file',
      () => '{"format":"latchkey-vault","version":1}',
      /its format member is not "latchkey-relying-party": it is another kind of file/,
      RESTORE,
    ],
    [
      'a schema violation',
      (text: string) => text.replace(/"email": "[^"]+"/, '"email": 42'),
      /does not match schema version 1: users\.0\.email: Invalid input: expected string, received number/,
      RESTORE,
    ],
  ])('refuses a %s file, says what to do about it, and leaves it untouched', async (_what, damage, problem, advice) => {
    const dataDir = await folderWithHistory(3);
    const file = join(dataDir, FILE);
    const damaged = damage(await readFile(file, 'utf8'));
    await writeFile(file, damaged);
    const before = await stat(file);
    const listing = (await readdir(dataDir)).sort();

    const error = await openFails(dataDir);
    expect(error.file).toBe(file);
    expect(error.problem).toMatch(problem);
    expect(error.backup).toBe(`${file}.bak-1`);
    expect(error.message).toContain(`${file} cannot be loaded`);
    expect(error.message).toContain(`${file} cannot be loaded: ${error.problem}. Latchkey has not changed it.`);
    expect(error.message).toMatch(advice);

    expect(await readFile(file, 'utf8')).toBe(damaged);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await readdir(dataDir)).sort()).toEqual(listing);

    // The backup named loads.
    await copyFile(`${file}.bak-1`, file);
    await expect(
      RelyingParty.open({ dataDir, env: {}, scrypt: FAST_SCRYPT, minScrypt: FAST_SCRYPT }),
    ).resolves.toBeInstanceOf(RelyingParty);
  });

  it('names the newest backup that loads, skipping damaged ones, and says so when none does', async () => {
    const dataDir = await folderWithHistory(4);
    const file = join(dataDir, FILE);
    await writeFile(file, '{');
    await writeFile(`${file}.bak-1`, '');
    expect((await openFails(dataDir)).backup).toBe(`${file}.bak-2`);

    const lonely = await folderWithHistory(1);
    await writeFile(join(lonely, FILE), '[]');
    const error = await openFails(lonely);
    expect(error.backup).toBeUndefined();
    expect(error.message).toMatch(
      /it holds an array, expected a latchkey-relying-party object\. Latchkey has not changed it\. No usable backup was found \(looked for relying-party\.json\.bak-1, .*relying-party\.json\.bak-5\)/,
    );
  });

  it('refuses to start afresh when the file is gone but its backups are there', async () => {
    const dataDir = await folderWithHistory(2);
    await rm(join(dataDir, FILE));
    const error = await openFails(dataDir);
    expect(error.problem).toMatch(/missing although backups of it exist/);
    expect(error.backup).toBe(join(dataDir, `${FILE}.bak-1`));
  });

  it('leaves memory and disk as they were when a change fails validation', async () => {
    const dataDir = await tempDir();
    const file = join(dataDir, 'small.json');
    const schema = z.strictObject({
      format: z.literal('small'),
      version: z.literal(1),
      count: z.number().int().min(0),
    });
    const store = await JsonStore.open({
      file,
      format: 'small',
      version: 1,
      schema,
      initial: () => ({ format: 'small' as const, version: 1 as const, count: 0 }),
    });
    await store.update((d) => {
      d.count = 1;
    });
    await expect(store.update((d) => void (d.count = -1))).rejects.toThrow(
      /refusing to write .*small\.json: count: Too small/,
    );
    expect(store.value.count).toBe(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ count: 1 });
  });

  it('defaults to the OS application data folder', () => {
    expect(
      defaultDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' },
        homedir: 'C:\\Users\\a',
      }),
    ).toBe('C:\\Users\\a\\AppData\\Roaming\\Latchkey');
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/Latchkey',
    );
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/home/a/.cfg' }, homedir: '/home/a' })).toBe(
      '/home/a/.cfg/latchkey',
    );
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, homedir: '/home/a' })).toBe(
      '/home/a/.config/latchkey',
    );
    expect(defaultDataDir({ platform: 'freebsd', env: {}, homedir: '/home/a' })).toBe('/home/a/.config/latchkey');
  });

  it('sees what another process changed: a key revoked by the CLI cannot sign in through the app opened before', async () => {
    const dataDir = await tempDir();
    const app = (await openRp(dataDir)).rp;
    const { user } = await newAccount(app);
    const lost = await openTestKey();
    const kept = await openTestKey();
    const lostRecord = await registerKey(app, user.id, lost);
    await registerKey(app, user.id, kept);
    // The app starts a sign-in and the lost key answers; meanwhile a second process (`latchkey key revoke`) revokes it.
    const step = await app.signInWithPassword({ email: EMAIL, password: PASSWORD });
    if (step.status !== 'key-required') throw new Error(step.status);
    const response = await getAssertion(lost, step.options);
    const cli = (await openRp(dataDir)).rp;
    await cli.revokeKey({ userId: user.id, credentialId: lostRecord.id, confirm: true });
    await expectRefusal(app.finishKeySignIn({ response }), 'credential-revoked', /was revoked/);
    // The app's next write starts from the file: the revoked key does not come back.
    await signInWithKey(app, kept);
    expect(
      JSON.parse(await readFile(join(dataDir, FILE), 'utf8')).users[0].credentials.map((c: { id: string }) => c.id),
    ).not.toContain(lostRecord.id);
    await app.refresh();
    expect(app.listKeys(user.id).map((k) => k.id)).not.toContain(lostRecord.id);
  });
});
