// A schema-versioned JSON file: validated with zod on load and before every write, written atomically with rolling backups.

import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { backupPath } from '../fs/backupPath.js';
import { DamagedStoreError } from './DamagedStoreError.js';
import { writeFileAtomic } from '../fs/writeFileAtomic.js';

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
}

const MAX_ISSUES_SHOWN = 3;

export class JsonStore<T> {
  #value: T;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: Required<JsonStoreOptions<T>>,
    value: T,
  ) {
    this.#value = value;
  }

  /**
   * Loads the file, or starts from `initial` when neither it nor a backup exists. A file that cannot be read, parsed or
   * validated throws DamagedStoreError and is never written over: no store exists to write it.
   */
  static async open<T>(options: JsonStoreOptions<T>): Promise<JsonStore<T>> {
    const full: Required<JsonStoreOptions<T>> = { backups: 5, backupIntervalMs: 15 * 60_000, ...options };
    const loaded = await JsonStore.#load(full, full.file);
    if (loaded.ok) return new JsonStore(full, loaded.value);
    if (loaded.missing) {
      const backups = await JsonStore.#backups(full);
      if (backups.found.length === 0) return new JsonStore(full, full.initial());
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
   * Applies `change` to a copy, validates the copy, writes it, and only then makes it the current value, so a failed
   * change or write leaves memory and disk as they were. Updates run one at a time.
   */
  update<R>(change: (draft: T) => R): Promise<R> {
    const run = this.#queue.then(async () => {
      const draft = structuredClone(this.#value);
      const result = change(draft);
      const checked = this.options.schema.safeParse(draft);
      if (!checked.success) {
        // A bug, not bad input: the code built a document its own schema refuses. Refuse to persist it.
        throw new Error(`refusing to write ${this.options.file}: ${describeIssues(checked.error)}`);
      }
      await writeFileAtomic(this.options.file, `${JSON.stringify(checked.data, null, 2)}\n`, { backups: this.options.backups, backupIntervalMs: this.options.backupIntervalMs });
      this.#value = checked.data;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
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
