// OpenVault with a journal, over real files: what goes to the journal and what is written whole, when the fold comes,
// and that a fold always writes every change acknowledged before it (a lock mid-change, a failed fold retried).

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JOURNAL_FOLD_RECORDS,
  JOURNAL_MAX_RECORDS,
  OpenVault,
  type VaultJournal,
} from '../../../../src/main/services/vault/OpenVault.js';
import { appendFileDurably } from '../../../../src/main/store/appendFileDurably.js';
import { writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { journalLine, parseJournal } from '../../../../src/main/vault/file/vaultJournal.js';
import type { VaultBody } from '../../../../src/main/vault/file/vaultText.js';
import { SECRET } from '../../vault/entries/entryFixtures.js';
import { openTestVault, type OpenTestVault } from './openTestVault.js';

let t: OpenTestVault;
let journal: string;
let vault: OpenVault;
let failNextWrite: Error | undefined;
/** When set, the next append waits for it: a change held in the middle of its write. */
let holdAppend: { reached: () => void; gate: Promise<void> } | undefined;
const foldFailures: unknown[] = [];

/** An OpenVault on the test vault's file, with a journal beside it, written as vaultFileWriters writes. */
function withJournal(foldAfterMs: number): OpenVault {
  // The key copied before the test's own OpenVault zeroes it: this one is the only one to write.
  const master = Buffer.from(t.unlocked.master);
  t.vault.lock();
  const options: VaultJournal = {
    append: async (header, records) => {
      const hold = holdAppend;
      holdAppend = undefined;
      if (hold) {
        hold.reached();
        await hold.gate;
      }
      await appendFileDurably(journal, journalLine(header, records));
    },
    foldAfterMs,
    foldFailed: (error) => foldFailures.push(error),
  };
  return OpenVault.open({
    file: t.file,
    vault: { body: t.unlocked.body, master },
    clock: t.clock,
    write: async (path: string, body: VaultBody) => {
      const failure = failNextWrite;
      failNextWrite = undefined;
      if (failure) throw failure;
      await writeVaultFile(path, body);
      await rm(journal, { force: true });
    },
    journal: options,
  });
}

const inFile = async () => [...(await t.onDisk()).entries.values()].map((e) => e.service).sort();
const journalChanges = () =>
  readFile(journal).then(
    (data) => parseJournal(data).changes.length,
    () => 0,
  );

/** Waits for `check` to hold, polling: the fold comes on a timer, and a loaded machine may run it late. */
async function eventually(check: () => Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not so after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  t = await openTestVault();
  journal = join(t.dir, 'vault.journal');
  failNextWrite = undefined;
  holdAppend = undefined;
  foldFailures.length = 0;
});
afterEach(() => t.cleanup());

describe('OpenVault with a journal', () => {
  it('journals a small change and folds it into the file foldAfterMs later, removing the journal', async () => {
    vault = withJournal(50);
    await vault.addEntry({ service: 'GitHub', secret: SECRET });
    await vault.addEntry({ service: 'Mail', secret: SECRET }, { allowDuplicate: true });
    expect(await journalChanges()).toBe(2);
    expect(await inFile()).toEqual([]);
    await eventually(async () => (await journalChanges()) === 0);
    expect(await inFile()).toEqual(['GitHub', 'Mail']);
    expect(foldFailures).toEqual([]);
    vault.lock();
  });

  it(`writes a change of more than ${JOURNAL_MAX_RECORDS} records whole, and the journal's changes with it`, async () => {
    vault = withJournal(3_600_000);
    await vault.addEntry({ service: 'First', secret: SECRET });
    expect(await journalChanges()).toBe(1);
    await vault.importEntries(
      Array.from({ length: JOURNAL_MAX_RECORDS + 1 }, (_, i) => ({
        input: { service: `S${i}`, secret: SECRET },
        groups: [] as string[],
      })),
    );
    expect(await journalChanges()).toBe(0);
    expect(await inFile()).toHaveLength(JOURNAL_MAX_RECORDS + 2);
    expect(await inFile()).toContain('First');
    vault.lock();
  });

  it(`folds at once, without waiting for the timer, past ${JOURNAL_FOLD_RECORDS} journaled records`, async () => {
    vault = withJournal(3_600_000);
    const batches = Math.floor(JOURNAL_FOLD_RECORDS / JOURNAL_MAX_RECORDS) + 1;
    for (let batch = 0; batch < batches; batch++) {
      expect(await journalChanges()).toBe(batch);
      await vault.importEntries(
        Array.from({ length: JOURNAL_MAX_RECORDS }, (_, i) => ({
          input: { service: `B${batch}-${i}`, secret: SECRET },
          groups: [] as string[],
        })),
      );
    }
    await eventually(async () => (await journalChanges()) === 0);
    expect(await inFile()).toHaveLength(batches * JOURNAL_MAX_RECORDS);
    vault.lock();
  });

  it('a change under way when the vault locks is acknowledged and folded by settled()', async () => {
    vault = withJournal(3_600_000);
    await vault.addEntry({ service: 'Before', secret: SECRET });
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      holdAppend = { reached: resolve, gate: new Promise<void>((done) => (release = done)) };
    });
    const during = vault.addEntry({ service: 'During', secret: SECRET }, { allowDuplicate: true });
    await reached;
    vault.lock();
    release();
    await expect(during).resolves.toMatchObject({ entry: { service: 'During' } });
    await expect(vault.addEntry({ service: 'After', secret: SECRET })).rejects.toThrow(/locked/);
    await vault.settled();
    expect(await journalChanges()).toBe(0);
    expect(await inFile()).toEqual(['Before', 'During']);
  });

  it('a failed fold is reported and leaves the journal; the next one writes everything', async () => {
    vault = withJournal(3_600_000);
    await vault.addEntry({ service: 'GitHub', secret: SECRET });
    failNextWrite = new Error('the disk is full');
    await vault.settled();
    expect(foldFailures).toEqual([expect.objectContaining({ message: 'the disk is full' })]);
    expect(await journalChanges()).toBe(1);
    expect(await inFile()).toEqual([]);
    // The journaled change stands: more changes go on, and the next fold takes all of them.
    await vault.addEntry({ service: 'Mail', secret: SECRET }, { allowDuplicate: true });
    await vault.settled();
    expect(await journalChanges()).toBe(0);
    expect(await inFile()).toEqual(['GitHub', 'Mail']);
    vault.lock();
  });
});
