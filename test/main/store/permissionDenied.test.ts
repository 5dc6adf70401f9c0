// A data file the user may not read is a permissions problem, not damage: the advice is the mode, never a restore.
// Tests run as root here, where chmod denies nothing, so the file system's answer is simulated for this one file.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const denied = new Set<string>();
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: (path: string, ...rest: unknown[]) => {
      if (denied.has(path))
        return Promise.reject(
          Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' }),
        );
      return (actual.open as (...args: unknown[]) => unknown)(path, ...rest);
    },
  };
});

const { JsonStore } = await import('../../../src/main/store/JsonStore.js');
const { DamagedStoreError } = await import('../../../src/main/store/DamagedStoreError.js');

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('a data file that cannot be read for lack of permission', () => {
  it('says so with the mode and owner, and advises fixing them instead of restoring the backup', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-denied-'));
    dirs.push(dir);
    const file = join(dir, 'data.json');
    const content = JSON.stringify({ format: 'test', version: 1 });
    await writeFile(file, content, { mode: 0o640 });
    await writeFile(`${file}.bak-1`, content);
    denied.add(file);
    const schema = z.strictObject({ format: z.literal('test'), version: z.literal(1) });
    const error = await JsonStore.open({
      file,
      format: 'test',
      version: 1,
      schema,
      initial: () => ({ format: 'test' as const, version: 1 as const }),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DamagedStoreError);
    const damaged = error as InstanceType<typeof DamagedStoreError>;
    expect(damaged.kind).toBe('permissions');
    expect(damaged.problem).toMatch(
      /^it cannot be read: permission denied \(mode 640, owner user \d+; Latchkey runs as user \d+\)$/,
    );
    expect(damaged.message).toMatch(/This is a permissions problem, not damage, so do not restore a backup/);
    expect(damaged.message).not.toMatch(/bak-1/);
  });
});
