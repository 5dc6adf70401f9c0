// A security audit log: one JSON object per line in the data folder, holding ids, names, outcomes and reasons, never secrets.

import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { withFileLock } from '../store/fileLock.js';
import { isSymlinkRefusal, NO_FOLLOW } from '../store/refuseSymlink.js';
import { SymlinkedFileError } from '../store/SymlinkedFileError.js';

export const AUDIT_LOG_FILE_NAME = 'audit.jsonl';
export const AUDIT_LOG_VERSION = 1;

/** A string or a number: the only kinds of value an audit line holds (no objects, so nothing nested slips in). */
export type AuditValue = string | number | undefined;

/**
 * What every event says. Each domain declares its own event type on top of this (the relying party's, later the vault's),
 * with members that are names, ids, outcomes or public values only, never secrets.
 */
export interface AuditEventBase {
  event: string;
  outcome: 'success' | 'failure';
}

export type AuditRecord<E extends AuditEventBase = AuditEventBase> = E & {
  v: number;
  at: string;
};

export interface AuditLogOptions<E extends AuditEventBase> {
  file: string;
  /**
   * The members record() copies, besides `event` and `outcome`: the allowlist. Nothing else is written, so a password,
   * code, challenge or key cannot slip in through a spread.
   */
  fields: readonly Exclude<keyof E & string, 'event' | 'outcome'>[];
  /** @default Date.now */
  now?: () => number;
  /** Once the log reaches this size it becomes `<file>.1` (older ones move up) and a new one starts. @default 1 MiB */
  maxBytes?: number;
  /** Rotated logs kept beside the current one; the oldest beyond them is dropped. @default 4 */
  keep?: number;
  /**
   * Called instead of throwing when an event cannot be written (a full disk, a log made unwritable), for callers whose
   * change is already done and must still be reported: the log must not lose the result it records. @default throw
   */
  onError?: (error: Error, event: E) => void;
}

const SLOT_FIELDS = ['event', 'outcome'] as const;

/**
 * An append-only JSON-lines log of one domain's events (`E`). The on-disk format is the same for every domain: `v`,
 * `at`, `event`, `outcome`, then the domain's allowed members that are set.
 */
export class AuditLog<E extends AuditEventBase = AuditEventBase> {
  readonly file: string;
  readonly #now: () => number;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #fields: readonly string[];
  readonly #onError: ((error: Error, event: E) => void) | undefined;

  constructor(options: AuditLogOptions<E>) {
    this.file = options.file;
    this.#now = options.now ?? Date.now;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#keep = options.keep ?? 4;
    this.#fields = [...SLOT_FIELDS, ...options.fields];
    this.#onError = options.onError;
  }

  /** Appends one line and syncs it: a security event that is not on disk did not happen for an investigator. */
  async record(event: E): Promise<void> {
    const line: Record<string, unknown> = { v: AUDIT_LOG_VERSION, at: new Date(this.#now()).toISOString() };
    for (const field of this.#fields) {
      const value = (event as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string' || typeof value === 'number') line[field] = value;
    }
    try {
      await this.#append(line);
    } catch (error) {
      if (!this.#onError) throw error;
      this.#onError(error instanceof Error ? error : new Error(String(error)), event);
    }
  }

  async #append(line: Record<string, unknown>): Promise<void> {
    let { handle, size } = await this.#openForAppend();
    if (size >= this.#maxBytes) {
      // The size comes from the handle the line goes through: no stat of its own on every event.
      await handle.close();
      await this.#rotate();
      ({ handle, size } = await this.#openForAppend());
    }
    try {
      // A crash mid-append leaves a last line without its newline: start on a line of our own, or this event would be
      // glued to the torn one and lost with it when read.
      let torn = false;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        torn = last[0] !== 0x0a;
      }
      await handle.writeFile(`${torn ? '\n' : ''}${JSON.stringify(line)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  async #openForAppend(): Promise<{ handle: FileHandle; size: number }> {
    let handle: FileHandle;
    try {
      handle = await this.#open();
    } catch (error) {
      // The folder is made on the first event only, not on every append.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      handle = await this.#open();
    }
    try {
      return { handle, size: (await handle.stat()).size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** 'a+' without following a symbolic link: appending through one would write security events into whatever it names. */
  async #open(): Promise<FileHandle> {
    try {
      return await open(this.file, constants.O_APPEND | constants.O_CREAT | constants.O_RDWR | NO_FOLLOW, 0o600);
    } catch (error) {
      if (isSymlinkRefusal(error)) throw new SymlinkedFileError(this.file);
      throw error;
    }
  }

  /** The logs on disk, oldest first: the rotated ones (`.N` ... `.1`), then the current one. */
  get files(): string[] {
    return [...Array.from({ length: this.#keep }, (_, i) => `${this.file}.${this.#keep - i}`), this.file];
  }

  async #full(): Promise<boolean> {
    try {
      return (await stat(this.file)).size >= this.#maxBytes;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Shifts `.N-1` to `.N` ... the current log to `.1`, under the data folder's lock so two processes rotate once. */
  async #rotate(): Promise<void> {
    await withFileLock(this.file, async () => {
      // Another process may have rotated while this one waited for the lock.
      if (!(await this.#full())) return;
      for (let generation = this.#keep - 1; generation >= 1; generation--)
        await renameIfExists(`${this.file}.${generation}`, `${this.file}.${generation + 1}`);
      await renameIfExists(this.file, `${this.file}.1`);
    });
  }

  /** Every record kept (rotated logs included), oldest first; a line that is not JSON (a torn write) is skipped. */
  async read(): Promise<AuditRecord<E>[]> {
    const records: AuditRecord<E>[] = [];
    for (const file of this.files) records.push(...(await readRecords<E>(file)));
    return records;
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function readRecords<E extends AuditEventBase>(file: string): Promise<AuditRecord<E>[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: AuditRecord<E>[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as AuditRecord<E>);
    } catch {
      // A crash mid-append leaves a partial line; the lines around it still stand.
    }
  }
  return records;
}
