// A schema-versioned JSON file: validated with zod on load and before every write, written atomically with rolling backups.

import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { SerialQueue } from '../../ctap/index.js';
import { backupPath } from './backupPath.js';
import { DamagedStoreError } from './DamagedStoreError.js';
import { writeFileAtomic } from './writeFileAtomic.js';
import { withFileLock } from './fileLock.js';

export interface JsonStoreOptions<T> {
  /** The file's path. */
  file: string;
  /** The `format` member every such file carries, so a file of another kind is recognised as such. */
  format: string;
  /** The schema version this code reads and writes (the `version` member). */
  version: number;
  /** The whole document, `format` and `version` included. */
  schema: z.ZodType<T>;
  /** The content of a file that does not exist yet (written at the first update). */
  initial: () => T;
  /** Previous versions kept beside the file. @default 5 */
  backups?: number;
  /** A new backup is taken when the newest is at least this old (see writeFileAtomic). @default 15 minutes */
  backupIntervalMs?: number;
  /** How long an update waits for another process writing the same file. @default 10000 */
  lockTimeoutMs?: number;
}

const MAX_ISSUES_SHOWN = 3;

/** What identifies one version of the file on disk: a write by anyone (always a rename of a new file) changes it. */
type FileVersion = string | undefined;

export class JsonStore<T> {
  #value: T;
  #version: FileVersion;
  readonly #queue = new SerialQueue();

  private constructor(
    private readonly options: Required<JsonStoreOptions<T>>,
    value: T,
    version: FileVersion,
  ) {
    this.#value = value;
    this.#version = version;
  }

  /**
   * Loads the file, or starts from `initial` when neither it nor a backup exists. A file that cannot be read, parsed or
   * validated throws DamagedStoreError and is never written over: no store exists to write it.
   */
  static async open<T>(options: JsonStoreOptions<T>): Promise<JsonStore<T>> {
    const full: Required<JsonStoreOptions<T>> = { backups: 5, backupIntervalMs: 15 * 60_000, lockTimeoutMs: 10_000, ...options };
    const version = await fileVersion(full.file);
    const loaded = await JsonStore.#load(full, full.file);
    if (loaded.ok) return new JsonStore(full, loaded.value, version);
    if (loaded.missing) {
      const backups = await JsonStore.#backups(full);
      if (backups.found.length === 0) return new JsonStore(full, full.initial(), undefined);
      throw new DamagedStoreError(full.file, 'the file is missing although backups of it exist', backups.usable, backups.searched);
    }
    const backups = await JsonStore.#backups(full);
    throw new DamagedStoreError(full.file, loaded.problem, backups.usable, backups.searched, { cause: loaded.cause });
  }

  get file(): string {
    return this.options.file;
  }

  /** The current content. Treat it as read-only: change it through update(). */
  get value(): Readonly<T> {
    return this.#value;
  }

  /**
   * Takes in what another process (the app, a `latchkey` command) wrote since this store last read or wrote the file.
   * Cheap when nothing changed (one stat). A file another process left damaged throws DamagedStoreError.
   */
  refresh(): Promise<void> {
    return this.#queue.run(() => this.#refresh());
  }

  /**
   * Applies `change` to a copy of the newest content, validates the copy, writes it, and only then makes it the current
   * value, so a failed change or write leaves memory and disk as they were. Updates run one at a time, in this process
   * and across processes (a lock file beside the store): `change` always sees what the last writer wrote, so two
   * processes never undo each other's changes (a key revoked in one cannot come back from the other's stale copy).
   */
  update<R>(change: (draft: T) => R): Promise<R> {
    return this.#queue.run(() => withFileLock(this.options.file, () => this.#update(change), { timeoutMs: this.options.lockTimeoutMs }));
  }

  async #update<R>(change: (draft: T) => R): Promise<R> {
    await this.#refresh();
    const draft = structuredClone(this.#value);
    const result = change(draft);
    const checked = this.options.schema.safeParse(draft);
    if (!checked.success) {
      // A bug, not bad input: the code built a document its own schema refuses. Refuse to persist it.
      throw new Error(`refusing to write ${this.options.file}: ${describeIssues(checked.error)}`);
    }
    await writeFileAtomic(this.options.file, `${JSON.stringify(checked.data, null, 2)}\n`, { backups: this.options.backups, backupIntervalMs: this.options.backupIntervalMs });
    this.#value = checked.data;
    this.#version = await fileVersion(this.options.file);
    return result;
  }

  /** Reloads the file if its version changed; a file deleted meanwhile leaves the content as it is (the next write restores it). */
  async #refresh(): Promise<void> {
    const version = await fileVersion(this.options.file);
    if (version === undefined || version === this.#version) return;
    const loaded = await JsonStore.#load(this.options, this.options.file);
    if (loaded.ok) {
      this.#value = loaded.value;
      this.#version = version;
      return;
    }
    if (loaded.missing) return;
    const backups = await JsonStore.#backups(this.options);
    throw new DamagedStoreError(this.options.file, loaded.problem, backups.usable, backups.searched, { cause: loaded.cause });
  }

  static async #load<T>(
    options: Required<JsonStoreOptions<T>>,
    path: string,
  ): Promise<{ ok: true; value: T } | { ok: false; missing: true } | { ok: false; missing: false; problem: string; cause?: unknown }> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, missing: true };
      return { ok: false, missing: false, problem: `it cannot be read (${(error as Error).message})`, cause: error };
    }
    if (text.trim() === '') return { ok: false, missing: false, problem: `it is empty (${text.length} bytes), as a truncated write leaves it` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { ok: false, missing: false, problem: `it is not valid JSON (${(error as Error).message})`, cause: error };
    }
    const header = json as { format?: unknown; version?: unknown } | null;
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      return { ok: false, missing: false, problem: `it holds ${Array.isArray(header) ? 'an array' : String(header)}, expected a ${options.format} object` };
    }
    if (header.format !== options.format) {
      return { ok: false, missing: false, problem: `its format is ${JSON.stringify(header.format)}, expected "${options.format}"` };
    }
    if (header.version !== options.version) {
      const newer = typeof header.version === 'number' && header.version > options.version;
      const problem = newer
        ? `it has schema version ${header.version}, written by a newer Latchkey; this one reads version ${options.version}`
        : `it has schema version ${JSON.stringify(header.version)}, expected ${options.version}`;
      return { ok: false, missing: false, problem };
    }
    const checked = options.schema.safeParse(json);
    if (!checked.success) return { ok: false, missing: false, problem: `it does not match schema version ${options.version}: ${describeIssues(checked.error)}` };
    return { ok: true, value: checked.data };
  }

  /** The backups that exist, and the newest one that would load cleanly. */
  static async #backups<T>(options: Required<JsonStoreOptions<T>>): Promise<{ searched: string[]; found: string[]; usable: string | undefined }> {
    const searched: string[] = [];
    const found: string[] = [];
    let usable: string | undefined;
    for (let generation = 1; generation <= options.backups; generation++) {
      const path = backupPath(options.file, generation);
      searched.push(path);
      const loaded = await JsonStore.#load(options, path);
      if (loaded.ok || !loaded.missing) found.push(path);
      if (loaded.ok && usable === undefined) usable = path;
    }
    return { searched, found, usable };
  }
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `${issue.path.length ? issue.path.join('.') : '(document)'}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Inode, size and modification time: every atomic write replaces the inode, so any write by anyone changes this. */
async function fileVersion(file: string): Promise<FileVersion> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
