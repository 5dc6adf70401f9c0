// A real pcscd with the vpcd driver for PC/SC integration tests: one test file at a time, started only when none runs, stopped only if we started it.
//
// Use at the top of a test file:
//   const pcscd = await acquirePcscd();
//   afterAll(() => pcscd.release());
//   describe.skipIf(pcscd.skipReason !== undefined)('...', () => { ... });
// LATCHKEY_REQUIRE_PCSC=1 turns a missing pcscd into a failure instead of a (loud) skip.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PcscdSession {
  /** Why PC/SC tests cannot run on this machine; undefined when they can. */
  readonly skipReason: string | undefined;
  /** Whether this session started pcscd (and so will stop it). */
  readonly startedPcscd: boolean;
  /** Stops pcscd if this session started it, then lets the next PC/SC test file run. */
  release(): Promise<void>;
}

const PCSCD_CANDIDATES = ['/usr/sbin/pcscd', '/usr/local/sbin/pcscd', '/sbin/pcscd'];
const VPCD_DRIVER_DIRS = [
  '/usr/lib/pcsc/drivers/serial',
  '/usr/lib64/pcsc/drivers/serial',
  '/usr/local/lib/pcsc/drivers/serial',
];
/** Debian's pcscd always listens here; clients honour PCSCLITE_CSOCK_NAME. */
const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
const LOCK_PATH = join(tmpdir(), 'latchkey-pcsc-tests.lock');
const LOCK_WAIT_MS = 10 * 60_000;
/** How long a pcscd we started may take to open its socket: generous, since a loaded machine starts it slowly. */
const PCSCD_START_MS = 30_000;
const INSTALL_HINT = 'sudo apt-get install -y pcscd vsmartcard-vpcd (Debian/Ubuntu)';

/** Waits until no other PC/SC test file runs, makes sure pcscd runs, and says why not when it cannot. */
export async function acquirePcscd(): Promise<PcscdSession> {
  const missing = missingPrerequisite();
  if (missing) return skip(missing);
  const lock = await acquireLock(LOCK_PATH, LOCK_WAIT_MS);
  try {
    // A test process that was killed before its release left its pcscd behind: that one is still ours to stop.
    const leftover =
      lock.abandonedPcscd !== undefined && isPcscd(lock.abandonedPcscd) ? adopt(lock.abandonedPcscd) : undefined;
    if (leftover) lock.recordPcscd(leftover.pid);
    if (await pcscdAnswers()) return session(leftover, lock);
    const started = await startPcscd();
    lock.recordPcscd(started.pid);
    return session(started, lock);
  } catch (error) {
    await lock.release();
    return skip(
      `pcscd is not running and could not be started: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function missingPrerequisite(): string | undefined {
  if (process.platform !== 'linux')
    return `the PC/SC integration tests run pcscd and vpcd, which need Linux (this is ${process.platform})`;
  if (!pcscdBinary())
    return `pcscd is not installed (looked in ${PCSCD_CANDIDATES.join(', ')}); install it with ${INSTALL_HINT}`;
  if (!VPCD_DRIVER_DIRS.some((dir) => existsSync(join(dir, 'libifdvpcd.so')))) {
    return `the vpcd reader driver (libifdvpcd.so) is not installed; install it with ${INSTALL_HINT}`;
  }
  try {
    createRequire(import.meta.url)('pcsc-mini');
  } catch (error) {
    return `pcsc-mini cannot load here: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

function skip(reason: string): PcscdSession {
  if (process.env.LATCHKEY_REQUIRE_PCSC === '1') {
    throw new Error(`LATCHKEY_REQUIRE_PCSC=1 but the PC/SC integration tests cannot run: ${reason}`);
  }
  const bar = '!'.repeat(100);
  console.warn(
    `\n${bar}\n!!! PC/SC INTEGRATION TESTS SKIPPED: ${reason}\n!!! Set LATCHKEY_REQUIRE_PCSC=1 to make this a failure.\n${bar}\n`,
  );
  return { skipReason: reason, startedPcscd: false, release: async () => undefined };
}

/** A pcscd this module started (now or in a test process that died without cleaning up). */
interface OwnedPcscd {
  readonly pid: number;
  stop(): Promise<void>;
}

function session(pcscd: OwnedPcscd | undefined, lock: FileLock): PcscdSession {
  let released = false;
  return {
    skipReason: undefined,
    startedPcscd: pcscd !== undefined,
    async release() {
      if (released) return;
      released = true;
      try {
        await pcscd?.stop();
      } finally {
        await lock.release();
      }
    },
  };
}

function pcscdBinary(): string | undefined {
  return PCSCD_CANDIDATES.find((path) => existsSync(path));
}

function pcscdAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: PCSCD_SOCKET });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startPcscd(): Promise<OwnedPcscd> {
  const binary = pcscdBinary()!;
  // Foreground, so the process is ours to stop and its death is ours to see.
  const child = spawn(binary, ['--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const deadline = Date.now() + PCSCD_START_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${binary} exited (${child.exitCode ?? child.signalCode}): ${stderr.trim() || 'no output'}`);
    }
    if (await pcscdAnswers()) return { pid: child.pid!, stop: () => stopChild(child) };
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(
    `${binary} did not open ${PCSCD_SOCKET} within ${PCSCD_START_MS / 1000} s: ${stderr.trim() || 'no output'}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function adopt(pid: number): OwnedPcscd {
  return {
    pid,
    async stop() {
      signal(pid, 'SIGTERM');
      const deadline = Date.now() + 3_000;
      while (processAlive(pid) && Date.now() < deadline) await sleep(50);
      signal(pid, 'SIGKILL');
    },
  };
}

/** Sends a signal to a process that may have exited meanwhile. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function isPcscd(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'pcscd';
  } catch {
    return false;
  }
}

interface FileLock {
  /** The pcscd a dead previous holder had started and not stopped, if its lock recorded one. */
  readonly abandonedPcscd: number | undefined;
  /** Notes in the lock which pcscd we own, so whoever finds our lock abandoned can stop it. */
  recordPcscd(pid: number): void;
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  token: string;
  pcscd?: number;
}

function parseLock(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    return typeof value.pid === 'number' && typeof value.token === 'string' ? (value as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An exclusive lock file holding { pid, token, pcscd }. Vitest runs test files in parallel processes, so the token says
 * whose lock it is; a lock whose pid is dead is stale and taken over, together with the pcscd it records.
 */
async function acquireLock(path: string, waitMs: number): Promise<FileLock> {
  const content: LockContent = { pid: process.pid, token: randomUUID() };
  const deadline = Date.now() + waitMs;
  let announced = false;
  let abandonedPcscd: number | undefined;
  while (true) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(content));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    const holder = parseLock(text);
    // An unreadable lock is being written right now, unless it has been so for half a minute (a loaded machine writes
    // slowly); a dead holder's lock is stale.
    const unreadableForLong =
      !holder && Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now()) > 30_000;
    if (unreadableForLong || (holder && !processAlive(holder.pid))) {
      abandonedPcscd = holder?.pcscd ?? abandonedPcscd;
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`another PC/SC test run (${text}) held ${path} for over ${waitMs / 1000} s`);
    if (!announced) {
      announced = true;
      console.info(`Waiting for another PC/SC test file to finish (lock ${path}).`);
    }
    await sleep(100);
  }
  const ours = (): boolean => {
    try {
      return parseLock(readFileSync(path, 'utf8'))?.token === content.token;
    } catch {
      return false;
    }
  };
  const releaseSync = (): void => {
    if (ours()) unlinkSync(path);
  };
  process.once('exit', releaseSync);
  return {
    abandonedPcscd,
    recordPcscd(pid) {
      content.pcscd = pid;
      if (ours()) writeFileSync(path, JSON.stringify(content));
    },
    async release() {
      process.off('exit', releaseSync);
      releaseSync();
    },
  };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
