// Issue #10, reliability: a writer killed with SIGKILL at a random moment during entry writes loses no acknowledged entry
// and never leaves a vault that fails to open, whether each change rewrites the file or is appended to the journal and
// folded in later (as the app writes). LATCHKEY_VAULT_KILL_RUNS sets the number of kills per writer (500 for the figure).

import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { parseJournal } from '../../../../src/main/vault/file/vaultJournal.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { takeJournal } from '../../../../src/main/services/vault/vaultJournalFile.js';
import { CHEAP, PASSWORD, testVault } from '../slots/testVault.js';

/** Short by default so `npm test` stays quick on 2 cores; each run starts a tsx process (about half a second). */
const RUNS = Number(process.env.LATCHKEY_VAULT_KILL_RUNS ?? 20);
/** Two writers at a time, each on its own vault: one per core. */
const PARALLEL = 2;
/**
 * The kill comes this long after the first acknowledged write, at most: the writer is then writing without pause, so the
 * kill lands at a random point of some later write (counted after the first ack so a slow, shared machine still writes).
 */
const MAX_KILL_DELAY_MS = 60;
/** Generous: tsx compiles the writer on start, and the machine is shared. */
const FIRST_ACK_DEADLINE_MS = 60_000;

/** The two ways of writing: each change a whole file, or the app's journal with its folds. */
const WRITERS = [
  {
    name: 'whole-file writes',
    child: fileURLToPath(new URL('./vaultWriter.child.ts', import.meta.url)),
    journal: false,
  },
  {
    name: 'journaled writes',
    child: fileURLToPath(new URL('./journalWriter.child.ts', import.meta.url)),
    journal: true,
  },
];
type Writer = (typeof WRITERS)[number];

interface RunResult {
  acknowledged: string[];
  /** Why the vault did not open after the kill; undefined when it opened. */
  openFailure?: string;
  lost: string[];
  /** Backups (`vault.json.bak-N`) left by the killed writer that fail to open, with why. */
  badBackups: string[];
  /** Temp files the killed writer left beside the vault (harmless, but they accumulate). */
  leftovers: number;
  /** The kill left a journal, whose changes the open applied (the file did not hold them yet). */
  journalLeft: boolean;
  /** The kill cut a journal line short (dropped: never acknowledged). */
  cutJournal: boolean;
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/**
 * Starts the writer, kills it a random time after its first acknowledged write, and returns every `ack` it printed: the
 * entry's id and the service it was written with (the id itself for the whole-file writer).
 */
function writeAndKill(writer: Writer, file: string, run: number): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer.child, file, String(run), `${file}.journal`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer ${run} acknowledged no write within ${FIRST_ACK_DEADLINE_MS} ms: ${err}`));
    }, FIRST_ACK_DEADLINE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killTimer && out.includes('\nack ')) {
        clearTimeout(deadline);
        killTimer = setTimeout(() => child.kill('SIGKILL'), Math.random() * MAX_KILL_DELAY_MS);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // 'close' comes after stdout is drained, so every ack the writer got out before dying is counted.
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL') reject(new Error(`writer ${run} ended by itself (${code}, ${signal}): ${err}`));
      else resolve([...out.matchAll(/^ack (\S+)(?: (\S+))?$/gm)].map((m) => [m[1]!, m[2] ?? m[1]!]));
    });
  });
}

async function oneRun(writer: Writer, template: string, run: number): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-kill-'));
  dirs.push(dir);
  const file = join(dir, 'vault.json');
  await copyFile(template, file);
  const acks = await writeAndKill(writer, file, run);
  const acknowledged = acks.map(([id]) => id);
  const journal = `${file}.journal`;
  const journalBytes = writer.journal ? await readFile(journal).catch(() => undefined) : undefined;
  const journalLeft = journalBytes !== undefined;
  const cutJournal = journalBytes !== undefined && parseJournal(journalBytes).unfinishedBytes > 0;
  const leftovers = (await readdir(dir)).filter((name) => name.endsWith('.tmp')).length;
  const badBackups: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => /^vault\.json\.bak-\d+$/.test(n))) {
    try {
      openEntries(await unlock(await readVaultFile(join(dir, name)), { password: PASSWORD }, { minArgon2: CHEAP }));
    } catch (error) {
      badBackups.push(`${name}: ${String(error)}`);
    }
  }
  let found: Map<string, string>;
  try {
    const opened = await unlock(await readVaultFile(file), { password: PASSWORD }, { minArgon2: CHEAP });
    // As the app opens it: the journal's changes applied (takeJournal), a line the kill cut short dropped.
    const taken = writer.journal ? await takeJournal(opened, journal) : { vault: opened, warning: undefined };
    if (taken.warning) throw new Error(taken.warning);
    const vault = taken.vault;
    found = new Map(openEntries(vault).map((e) => [e.id, Buffer.from(e.data).toString()]));
  } catch (error) {
    return {
      acknowledged,
      openFailure: String(error),
      lost: acknowledged,
      badBackups,
      leftovers,
      journalLeft,
      cutJournal,
    };
  }
  // An entry counts as kept only with the content that was acknowledged (the service it was written with).
  const lost = acks.filter(([id, service]) => !found.get(id)?.includes(`"service":"${service}"`)).map(([id]) => id);
  await rm(dir, { recursive: true, force: true });
  return { acknowledged, lost, badBackups, leftovers, journalLeft, cutJournal };
}

describe.each(WRITERS)('kill -9 during entry writes ($name)', (writer) => {
  it(
    `loses no acknowledged entry and always leaves a vault that opens (${RUNS} kills)`,
    async () => {
      const templateDir = await mkdtemp(join(tmpdir(), 'latchkey-vault-kill-'));
      dirs.push(templateDir);
      const template = join(templateDir, 'vault.json');
      // No entries to start with: the journaled writer reads every record as a 2FA entry, which the template's are not.
      await writeVaultFile(template, (await testVault('password-or-key', 0)).vault.body);

      const results: RunResult[] = [];
      let next = 0;
      const worker = async () => {
        while (next < RUNS) results.push(await oneRun(writer, template, next++));
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));

      const acknowledged = results.reduce((n, r) => n + r.acknowledged.length, 0);
      const lost = results.flatMap((r) => r.lost);
      const failedToOpen = results.filter((r) => r.openFailure !== undefined);
      const badBackups = results.flatMap((r) => r.badBackups);
      const killedMidWrite = results.filter((r) => r.leftovers > 0).length;
      const journalLeft = results.filter((r) => r.journalLeft).length;
      const cutJournal = results.filter((r) => r.cutJournal).length;
      console.log(
        `${writer.name}, ${RUNS} iterations: ${acknowledged} entries acknowledged, ${lost.length} acknowledged entries lost, ` +
          `${failedToOpen.length} vaults that fail to open, ${badBackups.length} backups that fail to open; ${killedMidWrite} kills left a temp file (killed mid-write)` +
          (writer.journal ? `; ${journalLeft} left a journal to apply, ${cutJournal} a journal line cut short` : ''),
      );
      expect(failedToOpen.map((r) => r.openFailure)).toEqual([]);
      expect(lost).toEqual([]);
      expect(badBackups).toEqual([]);
      // A test whose kills never land inside a write would prove nothing: some must leave the writer's temp file.
      expect(killedMidWrite).toBeGreaterThan(0);
      // Likewise, some kills must leave journaled changes that only the open's applying of the journal brings back.
      if (writer.journal) expect(journalLeft).toBeGreaterThan(0);
    },
    RUNS * 5_000 + FIRST_ACK_DEADLINE_MS,
  );
});
