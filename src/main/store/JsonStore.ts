// A schema-versioned JSON file: validated with zod on load and before every write, written atomically with rolling backups.

import { SerialQueue } from '../../ctap/index.js';
import { DamagedStoreError } from './DamagedStoreError.js';
import { listBackups } from './listBackups.js';
import { describeIssues, loadJsonFile, type JsonFileLoad, type JsonFileSpec } from './loadJsonFile.js';
import { writeFileAtomic } from './writeFileAtomic.js';
import { withFileLock } from './fileLock.js';
import { fileVersion, type FileVersion } from './fileVersion.js';

export interface JsonStoreOptions<T> extends JsonFileSpec<T> {
  /** The file's path. */
  file: string;
  /** The content of a file that does not exist yet (written at the first update). */
  initial: () => T;
  /** Previous versions kept beside the file. @default 5 */
  backups?: number;
  /** A new backup is taken when the newest is at least this old (see writeFileAtomic). @default 15 minutes */
  backupIntervalMs?: number;
  /** How long an update waits for another process writing the same file. @default 10000 */
  lockTimeoutMs?: number;
  /** How to restore a backup with the tools at hand, for DamagedStoreError's message. @default copy it by hand */
  restoreAdvice?: string;
}

type FullOptions<T> = Required<Omit<JsonStoreOptions<T>, 'validate' | 'restoreAdvice'>> &
  Pick<JsonStoreOptions<T>, 'validate' | 'restoreAdvice'>;

/** What identifies one version of the file on disk: a write by anyone (always a rename of a new file) changes it. */

export class JsonStore<T> {
  #value: T;
  #version: FileVersion;
  readonly #queue = new SerialQueue();

  private constructor(
    private readonly options: FullOptions<T>,
    value: T,
    version: FileVersion,
  ) {
    this.#value = value;
    this.#version = version;
  }

  /**
   * Loads the file, or starts from `initial` when neither it nor a backup exists. A file that cannot be read, parsed or
   * validated (or is a symbolic link) throws DamagedStoreError and is never written over: no store exists to write it.
   */
  static async open<T>(options: JsonStoreOptions<T>): Promise<JsonStore<T>> {
    const full: FullOptions<T> = { backups: 5, backupIntervalMs: 15 * 60_000, lockTimeoutMs: 10_000, ...options };
    const version = await fileVersion(full.file);
    const loaded = await loadJsonFile(full, full.file);
    if (loaded.ok) return new JsonStore(full, loaded.value, version);
    if (loaded.missing && (await listBackups(full)).found.length === 0)
      return new JsonStore(full, full.initial(), undefined);
    throw await JsonStore.#damaged(full, loaded);
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
   * processes never undo each other's changes (a key revoked in one cannot come back from the other's stale copy), and
   * a check made inside `change` (a throttle's wait) holds against every other writer.
   */
  update<R>(change: (draft: T) => R): Promise<R> {
    return this.#queue.run(() =>
      withFileLock(this.options.file, () => this.#update(change), { timeoutMs: this.options.lockTimeoutMs }),
    );
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
    await writeFileAtomic(this.options.file, `${JSON.stringify(checked.data, null, 2)}\n`, {
      backups: this.options.backups,
      backupIntervalMs: this.options.backupIntervalMs,
    });
    this.#value = checked.data;
    this.#version = await fileVersion(this.options.file);
    return result;
  }

  /** Reloads the file if its version changed; a file deleted meanwhile leaves the content as it is (the next write restores it). */
  async #refresh(): Promise<void> {
    const version = await fileVersion(this.options.file);
    if (version === undefined || version === this.#version) return;
    const loaded = await loadJsonFile(this.options, this.options.file);
    if (loaded.ok) {
      this.#value = loaded.value;
      this.#version = version;
      return;
    }
    if (loaded.missing) return;
    throw await JsonStore.#damaged(this.options, loaded);
  }

  static async #damaged<T>(
    options: FullOptions<T>,
    loaded: Exclude<JsonFileLoad<T>, { ok: true }>,
  ): Promise<DamagedStoreError> {
    const { searched, found } = await listBackups(options);
    const usable = found.find((b) => b.value !== undefined);
    return new DamagedStoreError({
      file: options.file,
      problem: loaded.missing ? 'the file is missing although backups of it exist' : loaded.problem,
      kind: loaded.missing ? 'missing' : loaded.kind,
      backup: usable && { path: usable.path, savedAt: usable.savedAt },
      backupsSearched: searched,
      ...(options.restoreAdvice === undefined ? {} : { restoreAdvice: options.restoreAdvice }),
      ...(!loaded.missing && loaded.cause !== undefined ? { cause: loaded.cause } : {}),
    });
  }
}
