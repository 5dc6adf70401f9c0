// The file a virtual key lives in: loaded at start, rewritten atomically whenever the key's state changes, one process at a time.

import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SerialQueue } from '../../ctap/index.js';
import type { VirtualAuthenticator, VirtualAuthenticatorState } from '../../ctap/virtual/index.js';
import { FileLockTimeoutError, withFileLock } from '../store/fileLock.js';
import { writeFileAtomic } from '../store/writeFileAtomic.js';
import { ServiceError } from './ServiceError.js';

const STATE_FORMAT = 'latchkey-virtual-authenticator';

/** How long a ceremony waits for another process's turn with the same key; theirs take well under a second. */
const DEFAULT_LOCK_WAIT_MS = 30_000;

export interface VirtualKeyLockOptions {
  /** How long to wait while another process uses the key; 0 refuses at once. @default 30000 */
  timeoutMs?: number;
}

/**
 * Runs `fn` while this process alone uses the key in `path` (a lock file beside it), so two processes never load the
 * same state, both sign, and save over each other: the counter would go backwards and a credential could be lost. The
 * lock is held as long as `fn` runs, which for a card in a reader is its whole life, so it never goes stale by age;
 * a holder that died is noticed by its process id.
 */
export async function withVirtualKeyLock<R>(
  path: string,
  fn: () => Promise<R>,
  options: VirtualKeyLockOptions = {},
): Promise<R> {
  await checkStatePath(path);
  try {
    return await withFileLock(path, fn, {
      timeoutMs: options.timeoutMs ?? DEFAULT_LOCK_WAIT_MS,
      staleMs: Number.POSITIVE_INFINITY,
    });
  } catch (error) {
    if (!(error instanceof FileLockTimeoutError) || error.lockFile !== `${path}.lock`) throw error;
    throw new ServiceError(
      'key-in-use',
      `The virtual key ${path} is in use by ${error.holder}: stop that one first, or use another state file.`,
      { cause: error },
    );
  }
}

/** A state path must name a file in a folder that exists: said plainly here rather than as EISDIR or ENOENT later. */
async function checkStatePath(path: string): Promise<void> {
  const [file, folder] = await Promise.all([
    stat(path).catch(() => undefined),
    stat(dirname(path)).catch((error: NodeJS.ErrnoException) => error),
  ]);
  if (file?.isDirectory())
    throw new ServiceError(
      'key-state-invalid',
      `${path} is a folder, not a virtual key's state file: give a file in it, such as ${path.replace(/\/+$/, '')}/key.json.`,
    );
  if (folder instanceof Error) {
    const what = folder.code === 'ENOTDIR' ? 'a file, not a folder' : 'missing';
    throw new ServiceError(
      'key-state-invalid',
      `Cannot keep the virtual key's state in ${path}: ${dirname(path)} is ${what}. Give a path in an existing folder.`,
      { cause: folder },
    );
  }
}

/** The saved state, or undefined when the file does not exist yet. Rejects when it exists but is not a virtual key's state. */
export async function loadVirtualKeyState(path: string): Promise<VirtualAuthenticatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${path} is not JSON (${(error as Error).message}); expected a virtual key state written by "latchkey virtual-card"`,
    );
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== STATE_FORMAT) {
    throw new Error(
      `${path} has format ${JSON.stringify(format)}, expected "${STATE_FORMAT}" (a state written by "latchkey virtual-card")`,
    );
  }
  return value as VirtualAuthenticatorState;
}

/**
 * Saves a virtual key's state when it differs from what was saved last. Comparing the serialised state after each
 * request catches every kind of change (counter, credentials, PIN, reset) without the key having to announce them.
 */
export class VirtualKeyStateFile {
  private saved: string | undefined;
  private readonly queue = new SerialQueue();

  constructor(
    readonly path: string,
    private readonly key: Pick<VirtualAuthenticator, 'toJSON'>,
  ) {}

  /** Resolves true when it wrote the file. Saves run one after another, so the file always ends with the latest state. */
  saveIfChanged(): Promise<boolean> {
    return this.queue.run(async () => {
      const text = `${JSON.stringify(this.key.toJSON(), null, 2)}\n`;
      if (text === this.saved) return false;
      await writeFileAtomic(this.path, text, { mode: 0o600 });
      this.saved = text;
      return true;
    });
  }
}
