// Issue #10, reliability: a full disk fails the vault write and leaves the previous vault (and its backups) intact, and
// fails a journal append leaving the journal as it was.
// No small file system can be mounted here, so, as the store's permission test does, the file system's answer is
// simulated: while `full` is set, writes into the vault's folder run out of space part-way, as a real full disk does.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** `backup copy`: a file system without hard links (the link is refused), so the backup is copied. */
type Stage = 'temp write' | 'fsync' | 'backup link' | 'backup copy' | 'journal write' | 'journal sync';
let full: Stage | undefined;

function enospc(what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${what}`), { code: 'ENOSPC', errno: -28 });
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  type Handle = Awaited<ReturnType<typeof actual.open>>;
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle: Handle = await actual.open(...args);
      // Only the writer's new temp files ('wx'), the backup's fsync ('r+') and the journal's appends ('a') run out of
      // space.
      if (full === undefined || (args[1] !== 'wx' && args[1] !== 'r+' && args[1] !== 'a')) return handle;
      const stage = full;
      return new Proxy(handle, {
        get(target, name, receiver) {
          if (name === 'write' && stage === 'journal write')
            return async (data: Uint8Array) => {
              await target.write(Buffer.from(data).subarray(0, data.length >> 1));
              throw enospc('write');
            };
          if (name === 'datasync' && stage === 'journal sync') return () => Promise.reject(enospc('fdatasync'));
          if (name === 'writeFile' && stage === 'temp write')
            return async (data: Uint8Array) => {
              // Half the bytes reach the disk before it is full, as with a real ENOSPC.
              await target.write(Buffer.from(data).subarray(0, data.length >> 1));
              throw enospc('write');
            };
          if (name === 'writev' && stage === 'temp write')
            return async (parts: Uint8Array[]) => {
              const data = Buffer.concat(parts);
              await target.write(data.subarray(0, data.length >> 1));
              throw enospc('write');
            };
          if (name === 'sync' && stage === 'fsync' && args[1] === 'wx') return () => Promise.reject(enospc('fsync'));
          const value = Reflect.get(target, name, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
    link: async (...args: Parameters<typeof actual.link>) => {
      if (full === 'backup link') throw enospc('link');
      if (full === 'backup copy')
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM', errno: -1 });
      return actual.link(...args);
    },
    copyFile: async (...args: Parameters<typeof actual.copyFile>) => {
      if (full !== 'backup copy') return actual.copyFile(...args);
      await actual.writeFile(args[1], '');
      throw enospc('copyfile');
    },
  };
});

const { openEntries, putEntry } = await import('../../../../src/main/vault/file/entryRecords.js');
const { readVaultFile, writeVaultFile } = await import('../../../../src/main/vault/file/vaultFileIo.js');
const { journalLine, parseJournal } = await import('../../../../src/main/vault/file/vaultJournal.js');
const { appendFileDurably } = await import('../../../../src/main/store/appendFileDurably.js');
const { unlock } = await import('../../../../src/main/vault/slots/unlock.js');
const { CHEAP, entryJson, PASSWORD, testVault } = await import('../slots/testVault.js');

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
beforeEach(() => {
  full = undefined;
});

async function openIds(file: string): Promise<string[]> {
  const vault = await unlock(await readVaultFile(file), { password: PASSWORD }, { minArgon2: CHEAP });
  return openEntries(vault)
    .map((e) => e.id)
    .sort();
}

/** Every file in the folder with its bytes, so "intact" means byte for byte. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'hex')] as const)));
}

describe('a full disk during a vault write', () => {
  it.each<Stage>(['temp write', 'fsync', 'backup link', 'backup copy'])(
    'at the %s: the write fails with ENOSPC, the vault opens as before, no temp file is left, the next write works',
    async (stage) => {
      const dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-full-'));
      dirs.push(dir);
      const file = join(dir, 'vault.json');
      const t = await testVault('password-or-key', 2);
      let vault = t.vault;
      // Three versions, so there are backups to keep as well.
      for (let i = 0; i < 3; i++) {
        vault = putEntry(
          vault,
          { id: `00000000-0000-4000-8000-0000000001${i}0`, data: entryJson(`v${i}`) },
          t.clock.tick(),
        );
        await writeVaultFile(file, vault.body);
      }
      const before = await snapshot(dir);
      const idsBefore = await openIds(file);
      expect(idsBefore).toHaveLength(5);

      const changed = putEntry(
        vault,
        { id: '00000000-0000-4000-8000-0000000002f0', data: entryJson('new') },
        t.clock.tick(),
      );
      full = stage;
      const error = await writeVaultFile(file, changed.body).then(
        () => new Error('the write succeeded on a full disk'),
        (e: unknown) => e,
      );
      full = undefined;
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');

      const after = await snapshot(dir);
      expect(after.get('vault.json')).toBe(before.get('vault.json'));
      expect(await openIds(file)).toEqual(idsBefore);
      expect([...after.keys()].filter((n) => n.endsWith('.tmp'))).toEqual([]);
      // Backups may have moved up one generation before the copy failed, but none is lost or changed.
      expect(new Set([...after.values()])).toEqual(new Set([...before.values()]));

      await writeVaultFile(file, changed.body);
      expect(await openIds(file)).toEqual([...idsBefore, '00000000-0000-4000-8000-0000000002f0'].sort());
    },
  );
});

describe('a full disk during a journal append', () => {
  it.each<Stage>(['journal write', 'journal sync'])(
    'at the %s: the append fails with ENOSPC, the journal is as it was, the next append works',
    async (stage) => {
      const dir = await mkdtemp(join(tmpdir(), 'latchkey-journal-full-'));
      dirs.push(dir);
      const journal = join(dir, 'vault.journal');
      const t = await testVault('password-or-key', 0);
      const header = { vault: t.vault.body.vault, epoch: t.vault.body.epoch };
      const change = (n: number) => {
        const id = `00000000-0000-4000-8000-0000000003${n}0`;
        return { [id]: putEntry(t.vault, { id, data: entryJson(`j${n}`) }, t.clock.tick()).body.entries[id]! };
      };
      await appendFileDurably(journal, journalLine(header, change(1)));
      const before = await readFile(journal);

      full = stage;
      const error = await appendFileDurably(journal, journalLine(header, change(2))).then(
        () => new Error('the append succeeded on a full disk'),
        (e: unknown) => e,
      );
      full = undefined;
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      // The half line written is taken back: the next append does not run into it.
      expect(await readFile(journal)).toEqual(before);

      await appendFileDurably(journal, journalLine(header, change(3)));
      const read = parseJournal(await readFile(journal));
      expect(read.damage).toBeUndefined();
      expect(read.changes.map((c) => Object.keys(c.records)[0])).toEqual([
        '00000000-0000-4000-8000-000000000310',
        '00000000-0000-4000-8000-000000000330',
      ]);
    },
  );
});
