// The security audit log: one JSON object per line in the data folder, holding ids, names, outcomes and reasons, never secrets.

import { mkdir, open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { withFileLock } from '../store/fileLock.js';

export const AUDIT_LOG_FILE_NAME = 'audit.jsonl';
export const AUDIT_LOG_VERSION = 1;

export type AuditEventName =
  | 'account-created'
  | 'key-registered'
  | 'key-renamed'
  | 'key-revoked'
  | 'login'
  | 'login-failed'
  | 'registration-failed'
  | 'clone-warning'
  | 'recovery-code-regenerated'
  | 'account-recovered'
  | 'recovery-failed'
  | 'mode-changed'
  | 'settings-changed'
  | 'keys-imported'
  | 'keys-exported';

/**
 * What an event may say. Each member is a name, an id, an outcome or a setting's public value: the type is the
 * allowlist, and record() writes nothing else, so a password, code, challenge or key cannot slip in through a spread.
 */
export interface AuditEvent {
  event: AuditEventName;
  outcome: 'success' | 'failure';
  user_id?: string;
  email?: string;
  credential_id?: string;
  display_name?: string;
  /** A RelyingPartyError reason, or why a key was revoked. */
  reason?: string;
  /** How the user signed in: password, password+key, key, recovery. */
  method?: string;
  /** For settings-changed and mode-changed: which setting, and its public old and new values. */
  setting?: string;
  from?: string;
  to?: string;
  /** For imports, exports and recoveries: how many keys. */
  count?: number;
}

export interface AuditRecord extends AuditEvent {
  v: number;
  at: string;
}

const FIELDS = ['event', 'outcome', 'user_id', 'email', 'credential_id', 'display_name', 'reason', 'method', 'setting', 'from', 'to', 'count'] as const;

export interface AuditLogOptions {
  file: string;
  /** @default Date.now */
  now?: () => number;
  /** Once the log reaches this size it becomes `<file>.1` (older ones move up) and a new one starts. @default 1 MiB */
  maxBytes?: number;
  /** Rotated logs kept beside the current one; the oldest beyond them is dropped. @default 4 */
  keep?: number;
}

export class AuditLog {
  readonly file: string;
  readonly #now: () => number;
  readonly #maxBytes: number;
  readonly #keep: number;

  constructor(options: AuditLogOptions) {
    this.file = options.file;
    this.#now = options.now ?? Date.now;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#keep = options.keep ?? 4;
  }

  /** Appends one line and syncs it: a security event that is not on disk did not happen for an investigator. */
  async record(event: AuditEvent): Promise<void> {
    const line: Record<string, unknown> = { v: AUDIT_LOG_VERSION, at: new Date(this.#now()).toISOString() };
    for (const field of FIELDS) {
      const value = event[field];
      if (typeof value === 'string' || typeof value === 'number') line[field] = value;
    }
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
      handle = await open(this.file, 'a+', 0o600);
    } catch (error) {
      // The folder is made on the first event only, not on every append.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      handle = await open(this.file, 'a+', 0o600);
    }
    try {
      return { handle, size: (await handle.stat()).size };
    } catch (error) {
      await handle.close();
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
      for (let generation = this.#keep - 1; generation >= 1; generation--) await renameIfExists(`${this.file}.${generation}`, `${this.file}.${generation + 1}`);
      await renameIfExists(this.file, `${this.file}.1`);
    });
  }

  /** Every record kept (rotated logs included), oldest first; a line that is not JSON (a torn write) is skipped. */
  async read(): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for (const file of this.files) records.push(...(await readRecords(file)));
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

async function readRecords(file: string): Promise<AuditRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as AuditRecord);
    } catch {
      // A crash mid-append leaves a partial line; the lines around it still stand.
    }
  }
  return records;
}
