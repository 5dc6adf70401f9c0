// An advisory lock between processes on one file (`<file>.lock`, created exclusively), so that the app and a `latchkey`
// command run at the same time take turns at read-modify-write instead of writing over each other's changes.

import { hostname } from 'node:os';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NO_FOLLOW } from './refuseSymlink.js';
import { SymlinkedFileError } from './SymlinkedFileError.js';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up. @default 10000 */
  timeoutMs?: number;
  /**
   * A lock this old is taken to be left over from a crash even when its holder cannot be checked (another host, an
   * lock file it cannot read). Holders keep it for milliseconds. @default 30000
   */
  staleMs?: number;
  /**
   * A lock file this old that is empty or does not say who holds it is left over from a crash between creating and
   * writing it (which takes microseconds): broken at once rather than after `staleMs`. @default 2000
   */
  ownerlessStaleMs?: number;
}

export class FileLockTimeoutError extends Error {
  override readonly name = 'FileLockTimeoutError';

  constructor(
    readonly lockFile: string,
    readonly holder: string,
    timeoutMs: number,
  ) {
    super(
      `${lockFile} has been held by ${holder} for over ${timeoutMs} ms: another Latchkey is writing to this data folder. Try again; if no other Latchkey runs, delete the .lock file.`,
    );
  }
}

interface LockOwner {
  pid: number;
  host: string;
  at: number;
}

const RETRY_FIRST_MS = 5;
const RETRY_MAX_MS = 100;

/** Runs `fn` while holding `<file>.lock`; the lock is released however `fn` ends. */
export async function withFileLock<R>(file: string, fn: () => Promise<R>, options: FileLockOptions = {}): Promise<R> {
  const lockFile = `${file}.lock`;
  await acquire(lockFile, options.timeoutMs ?? 10_000, {
    staleMs: options.staleMs ?? 30_000,
    ownerlessStaleMs: options.ownerlessStaleMs ?? 2000,
  });
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

interface Staleness {
  staleMs: number;
  ownerlessStaleMs: number;
}

async function acquire(lockFile: string, timeoutMs: number, staleness: Staleness): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let wait = RETRY_FIRST_MS;
  for (;;) {
    const owner: LockOwner = { pid: process.pid, host: hostname(), at: Date.now() };
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The data folder does not exist before its first write.
        await mkdir(dirname(lockFile), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    const held = await readHolder(lockFile);
    if (held && isStale(held, staleness)) {
      // Remove it only if it is still the lock judged stale: another waiter may have broken it and taken a new one.
      const again = await readHolder(lockFile);
      if (again && again.text === held.text) await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline)
      throw new FileLockTimeoutError(lockFile, held ? describe(held.owner) : 'another process', timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(1, deadline - Date.now()))));
    wait = Math.min(wait * 2, RETRY_MAX_MS);
  }
}

/**
 * The lock file's content and what it says; undefined when the lock was released meanwhile. A lock that is a symbolic
 * link is refused: breaking it would remove the link, reading it would read whatever it points at.
 */
async function readHolder(
  lockFile: string,
): Promise<{ text: string; owner: LockOwner | undefined; mtimeMs: number } | undefined> {
  try {
    if ((await lstat(lockFile)).isSymbolicLink()) throw new SymlinkedFileError(lockFile);
    const handle = await open(lockFile, constants.O_RDONLY | NO_FOLLOW);
    try {
      const [text, info] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
      return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.at === 'number')
      return value as LockOwner;
  } catch {
    // Being written right now, or damaged: judged by its age alone.
  }
  return undefined;
}

/**
 * A holder on this host that no longer runs left the lock behind; otherwise only age tells, a short one for a lock that
 * names no holder. An mtime in the future (a clock moved back) counts as now.
 */
function isStale(held: { owner: LockOwner | undefined; mtimeMs: number }, staleness: Staleness): boolean {
  const { owner } = held;
  if (owner && owner.host === hostname() && !isRunning(owner.pid)) return true;
  const age = Math.max(0, Date.now() - held.mtimeMs);
  return age > (owner ? staleness.staleMs : staleness.ownerlessStaleMs);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(owner: LockOwner | undefined): string {
  return owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
}
