import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/main/store/writeFileAtomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-atomic-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file whole, readable by its owner only, and leaves no temporary file behind', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new content');
    expect(await readFile(path, 'utf8')).toBe('new content');
    expect(await readdir(dir)).toEqual(['state.json']);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('writes parts in order, more of them than one gathered write takes (IOV_MAX is 1024)', async () => {
    const path = join(dir, 'parts.json');
    const parts = Array.from({ length: 5_000 }, (_, i) => Buffer.from(`${i},`));
    await writeFileAtomic(path, parts);
    expect(await readFile(path)).toEqual(Buffer.concat(parts));
  });

  it('creates a missing folder on the first write', async () => {
    const path = join(dir, 'new-folder', 'state.json');
    await writeFileAtomic(path, 'x');
    expect(await readFile(path, 'utf8')).toBe('x');
    await rm(join(dir, 'new-folder'), { recursive: true });
  });

  it('keeps the old file and cleans up when the new one cannot be written', async () => {
    const target = join(dir, 'state.json');
    await writeFile(target, 'old');
    // A directory where the file should go makes the rename fail after the temporary file was written.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'inner'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'x')).rejects.toBeTruthy();
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'state.json']);
    expect(await readFile(target, 'utf8')).toBe('old');
  });
});
