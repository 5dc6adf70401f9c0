// Issue #9 on the shared store: symbolic links refused, file contents never quoted, ownerless locks judged by age,
// damage explained by kind, backups listed with their dates and restored atomically with the replaced file kept aside.

import { mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuditLog } from '../../../src/main/audit/AuditLog.js';
import { DamagedStoreError } from '../../../src/main/store/DamagedStoreError.js';
import { FileLockTimeoutError, withFileLock } from '../../../src/main/store/fileLock.js';
import { JsonStore } from '../../../src/main/store/JsonStore.js';
import { listBackups } from '../../../src/main/store/listBackups.js';
import { restoreBackup } from '../../../src/main/store/restoreBackup.js';
import { SymlinkedFileError } from '../../../src/main/store/SymlinkedFileError.js';
import { writeFileAtomic } from '../../../src/main/store/writeFileAtomic.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-store-'));
  dirs.push(dir);
  return dir;
}

const schema = z.strictObject({ format: z.literal('test'), version: z.literal(1), entries: z.array(z.string()) });
const spec = { format: 'test', version: 1, schema };
function openStore(file: string, options: { backupIntervalMs?: number } = {}) {
  return JsonStore.open({
    ...spec,
    file,
    initial: () => ({ format: 'test' as const, version: 1 as const, entries: [] as string[] }),
    backups: 3,
    ...options,
  });
}
async function openFails(file: string): Promise<DamagedStoreError> {
  const error = await openStore(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DamagedStoreError);
  return error as DamagedStoreError;
}

/** Content that must never appear in an error: a line of /etc/passwd. */
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n';

describe('symbolic links (issue #9 point 6)', () => {
  it('refuses a store file that is a link, says what to do, and leaves the link and its target alone', async () => {
    const dir = await tempDir();
    const target = join(dir, 'elsewhere.json');
    await writeFile(target, JSON.stringify({ format: 'test', version: 1, entries: ['x'] }));
    const file = join(dir, 'data.json');
    await symlink(target, file);
    const error = await openFails(file);
    expect(error.kind).toBe('symlink');
    expect(error.message).toBe(
      `${file} cannot be loaded: it is a symbolic link, expected a regular file (Latchkey does not follow links for its data files). Latchkey has not changed it. Put the file itself in place of the link (or point --data-dir at the folder the link leads to); a backup is not needed.`,
    );
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
  });

  it('refuses to write through a link, and a store whose file became a link since it was opened', async () => {
    const dir = await tempDir();
    const file = join(dir, 'data.json');
    const store = await openStore(file);
    await store.update((d) => void d.entries.push('first'));
    const target = join(dir, 'target.json');
    await writeFile(target, PASSWD);
    await rm(file);
    await symlink(target, file);
    await expect(writeFileAtomic(file, 'replaced')).rejects.toThrow(SymlinkedFileError);
    await expect(store.update((d) => void d.entries.push('second'))).rejects.toThrow(/is a symbolic link/);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe(PASSWD);
  });

  it('refuses an audit log that is a link and writes nothing through it', async () => {
    const dir = await tempDir();
    const target = join(dir, 'target');
    await writeFile(target, PASSWD);
    await symlink(target, join(dir, 'audit.jsonl'));
    const log = new AuditLog({ file: join(dir, 'audit.jsonl'), fields: [] });
    await expect(log.record({ event: 'test', outcome: 'success' })).rejects.toThrow(SymlinkedFileError);
    expect(await readFile(target, 'utf8')).toBe(PASSWD);
  });

  it('refuses a lock file that is a link instead of reading or removing it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'data.json');
    await writeFile(join(dir, 'target'), PASSWD);
    await symlink(join(dir, 'target'), `${file}.lock`);
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 100 })).rejects.toThrow(SymlinkedFileError);
    expect((await lstat(`${file}.lock`)).isSymbolicLink()).toBe(true);
  });
});

describe('errors never quote the file (issue #9 point 21)', () => {
  it.each([
    ['not JSON', PASSWD],
    ['a JSON string', JSON.stringify('root:x:0:0')],
    ['another format', JSON.stringify({ format: 'root:x:0:0', version: 1 })],
    ['a version that is text', JSON.stringify({ format: 'test', version: 'root:x:0:0' })],
    ['an unknown member', JSON.stringify({ format: 'test', version: 1, entries: [], 'root:x:0:0': 1 })],
  ])('describes %s by its shape only', async (_what, content) => {
    const file = join(await tempDir(), 'data.json');
    await writeFile(file, content);
    const error = await openFails(file);
    expect(error.message).not.toContain('root:x');
    expect(error.message).not.toContain('root');
    expect(String((error as { cause?: unknown }).cause ?? '')).not.toContain('root:x');
  });
});

describe('ownerless locks (issue #9 point 20)', () => {
  it('breaks an empty lock a few seconds old at once instead of waiting for staleMs', async () => {
    const file = join(await tempDir(), 'data.json');
    await writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 3000);
    await utimes(`${file}.lock`, old, old);
    const started = Date.now();
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 10_000 })).resolves.toBe('taken');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('leaves an empty lock alone while it is being written (younger than ownerlessStaleMs)', async () => {
    const file = join(await tempDir(), 'data.json');
    await writeFile(`${file}.lock`, '');
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 100, ownerlessStaleMs: 60_000 })).rejects.toThrow(
      FileLockTimeoutError,
    );
  });
});

describe('damage explained by kind (issue #9 point 3)', () => {
  it('gives the mode, not a restore, for a permissions problem', () => {
    const error = new DamagedStoreError({
      file: '/data/relying-party.json',
      problem: 'it cannot be read: permission denied (mode 000, owner user 0; Latchkey runs as user 1000)',
      kind: 'permissions',
      backup: { path: '/data/relying-party.json.bak-1', savedAt: new Date() },
      backupsSearched: [],
    });
    expect(error.message).toMatch(
      /This is a permissions problem, not damage, so do not restore a backup: give your user read and write access/,
    );
    expect(error.message).not.toContain('bak-1');
  });

  it('names the newest usable backup with its date and age, and what restoring it loses', async () => {
    const file = join(await tempDir(), 'data.json');
    const store = await openStore(file, { backupIntervalMs: 0 });
    await store.update((d) => void d.entries.push('a'));
    await store.update((d) => void d.entries.push('b'));
    const savedAt = new Date(Date.now() - 3 * 3_600_000);
    await utimes(`${file}.bak-1`, savedAt, savedAt);
    await writeFile(file, '{');
    const error = await openFails(file);
    expect(Math.abs(error.backupSavedAt!.getTime() - savedAt.getTime())).toBeLessThan(1000);
    expect(error.message).toContain(
      `The newest backup that loads, data.json.bak-1, was saved ${error.backupSavedAt!.toISOString()} (3 hours ago): restoring it loses every change made since then.`,
    );
  });
});

describe('listBackups and restoreBackup (issue #9 point 3)', () => {
  async function history(): Promise<string> {
    const file = join(await tempDir(), 'data.json');
    const store = await openStore(file, { backupIntervalMs: 0 });
    for (const entry of ['a', 'b', 'c']) await store.update((d) => void d.entries.push(entry));
    return file;
  }

  it('lists the backups newest first with when each was saved and what it holds, and why one does not load', async () => {
    const file = await history();
    await writeFile(`${file}.bak-2`, PASSWD);
    const { found, searched } = await listBackups({ ...spec, file, backups: 3 });
    expect(searched).toEqual([`${file}.bak-1`, `${file}.bak-2`, `${file}.bak-3`]);
    expect(found.map((b) => [b.generation, b.value?.entries ?? b.problem])).toEqual([
      [1, ['a', 'b']],
      [2, expect.stringMatching(/^it is not valid JSON/)],
    ]);
    for (const backup of found) expect(backup.savedAt.getTime()).toBe((await lstat(backup.path)).mtime.getTime());
  });

  it('restores a backup in place of a damaged file, keeping the damaged file aside, and refuses a backup that does not load', async () => {
    const file = await history();
    await writeFile(file, PASSWD);
    await writeFile(`${file}.bak-2`, '');
    await expect(restoreBackup({ ...spec, file, backup: `${file}.bak-2` })).rejects.toThrow(
      /bak-2 cannot be restored: it is empty/,
    );
    expect(await readFile(file, 'utf8')).toBe(PASSWD);

    const result = await restoreBackup({
      ...spec,
      file,
      backup: `${file}.bak-1`,
      now: () => Date.parse('2025-03-01T09:00:00.000Z'),
    });
    expect(result.value.entries).toEqual(['a', 'b']);
    expect(result.keptAside).toBe(`${file}.replaced-2025-03-01T09-00-00-000Z`);
    expect(await readFile(result.keptAside!, 'utf8')).toBe(PASSWD);
    expect((await openStore(file)).value.entries).toEqual(['a', 'b']);
    // No temporary files or lock left behind, and the backups were not rotated by the restore.
    expect((await readdir(join(file, '..'))).sort()).toEqual([
      'data.json',
      'data.json.bak-1',
      'data.json.bak-2',
      'data.json.replaced-2025-03-01T09-00-00-000Z',
    ]);
  });
});
