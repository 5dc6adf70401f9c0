// The file a `latchkey virtual-card` key lives in: loaded at start, rewritten atomically whenever the key's state changes.

import { readFile } from 'node:fs/promises';
import { SerialQueue } from '../../ctap/index.js';
import type { VirtualAuthenticator, VirtualAuthenticatorState } from '../../ctap/virtual/index.js';
import { writeFileAtomic } from '../store/writeFileAtomic.js';

const STATE_FORMAT = 'latchkey-virtual-authenticator';

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
    throw new Error(`${path} is not JSON (${(error as Error).message}); expected a virtual key state written by "latchkey virtual-card"`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== STATE_FORMAT) {
    throw new Error(`${path} has format ${JSON.stringify(format)}, expected "${STATE_FORMAT}" (a state written by "latchkey virtual-card")`);
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

  constructor(readonly path: string, private readonly key: Pick<VirtualAuthenticator, 'toJSON'>) {}

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
