// The lock between processes that share a data folder, and JsonStore updates taking turns through it.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileLockTimeoutError, withFileLock } from '../../../src/main/store/fileLock.js';
import { JsonStore } from '../../../src/main/store/JsonStore.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-lock-'));
  dirs.push(dir);
  return dir;
}

const schema = z.object({ format: z.literal('test'), version: z.literal(1), entries: z.array(z.string()) });
function openStore(file: string) {
  return JsonStore.open({
    file,
    format: 'test',
    version: 1,
    schema,
    initial: () => ({ format: 'test' as const, version: 1 as const, entries: [] }),
    backups: 0,
  });
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('withFileLock', () => {
  it('lets one holder in at a time and removes the lock after each, even when the holder throws', async () => {
    const file = join(await tempDir(), 'data.json');
    const events: string[] = [];
    const hold = (name: string, fail = false) =>
      withFileLock(file, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        events.push(`${name} out`);
        if (fail) throw new Error(`${name} failed`);
      });
    const results = await Promise.allSettled([hold('a', true), hold('b'), hold('c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i]!.replace(' in', ' out'));
    expect(await readdir(join(file, '..'))).toEqual([]);
  });

  it('creates the data folder when it does not exist yet', async () => {
    const file = join(await tempDir(), 'new', 'folder', 'data.json');
    await expect(withFileLock(file, async () => 'done')).resolves.toBe('done');
  });

  it('breaks a lock left by a process that no longer runs', async () => {
    const file = join(await tempDir(), 'data.json');
    await writeFile(`${file}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname(), at: Date.now() }));
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 200 })).resolves.toBe('taken');
  });

  it('breaks an unreadable lock once it is older than staleMs, not before', async () => {
    const file = join(await tempDir(), 'data.json');
    await writeFile(`${file}.lock`, '');
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 100, staleMs: 60_000 })).rejects.toThrow(
      FileLockTimeoutError,
    );
    const old = new Date(Date.now() - 120_000);
    await utimes(`${file}.lock`, old, old);
    await expect(withFileLock(file, async () => 'taken', { timeoutMs: 100, staleMs: 60_000 })).resolves.toBe('taken');
  });

  it('gives up on a live holder with an error that names it and says what to do', async () => {
    const file = join(await tempDir(), 'data.json');
    // This very process holds it: alive, so never stale.
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
    const error = await withFileLock(file, async () => 'taken', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileLockTimeoutError);
    expect((error as Error).message).toContain(`process ${process.pid} on ${hostname()}`);
    expect((error as Error).message).toMatch(/another Latchkey is writing to this data folder/);
    // The holder's lock is left alone.
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
  });
});

describe('JsonStore across processes', () => {
  it('an update made from a stale copy keeps what another store wrote meanwhile', async () => {
    const file = join(await tempDir(), 'data.json');
    const app = await openStore(file);
    const cli = await openStore(file);
    await app.update((d) => void d.entries.push('from the app'));
    // `cli` loaded before that write; its update must start from the file, not from its stale copy.
    await cli.update((d) => void d.entries.push('from the cli'));
    expect(cli.value.entries).toEqual(['from the app', 'from the cli']);
    await app.refresh();
    expect(app.value.entries).toEqual(['from the app', 'from the cli']);
  });

  it('refresh() refuses a file another process left damaged, and keeps the last good content', async () => {
    const file = join(await tempDir(), 'data.json');
    const store = await openStore(file);
    await store.update((d) => void d.entries.push('good'));
    await writeFile(file, '{"format":"test","version":1,"entries":[');
    await expect(store.refresh()).rejects.toThrow(/not valid JSON/);
    await expect(store.update((d) => void d.entries.push('lost?'))).rejects.toThrow(/not valid JSON/);
    expect(store.value.entries).toEqual(['good']);
    expect(await readFile(file, 'utf8')).toBe('{"format":"test","version":1,"entries":[');
  });

  it('two processes adding 25 entries each at the same time lose none', async () => {
    const file = join(await tempDir(), 'data.json');
    const child = fileURLToPath(new URL('./storeWriter.child.ts', import.meta.url));
    // Both open the store first (tsx takes a while to start), then write at the same moment.
    const startAt = Date.now() + 1_500;
    const run = (name: string) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child, file, '25', name, String(startAt)], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        p.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        p.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`writer ${name} exited ${code}: ${stderr}`)),
        );
      });
    await Promise.all([run('a'), run('b')]);
    const entries = (JSON.parse(await readFile(file, 'utf8')) as { entries: string[] }).entries;
    expect(entries).toHaveLength(50);
    expect(entries.filter((e) => e.startsWith('a-'))).toEqual(Array.from({ length: 25 }, (_, i) => `a-${i}`));
    expect(entries.filter((e) => e.startsWith('b-'))).toEqual(Array.from({ length: 25 }, (_, i) => `b-${i}`));
  }, 30_000);
});
