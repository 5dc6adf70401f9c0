// Makes a stored entry from checked input: a fresh UUID, its creation time, its place in the list.

import { randomUUID } from 'node:crypto';
import { checkEntry } from './checkEntry.js';
import type { VaultEntry } from './vaultEntry.js';

export interface NewEntryOptions {
  /** The fields as typed or imported, checked by checkEntry (which may refuse them). */
  input: unknown;
  /** Default: a random UUID (crypto.randomUUID). */
  id?: string;
  /** Default: now. Written as created_at and updated_at. */
  now?: Date;
  /** Default: 0 (first in the list). */
  order?: number;
}

export function newEntry({ input, id = randomUUID(), now = new Date(), order = 0 }: NewEntryOptions): VaultEntry {
  const at = now.toISOString();
  return { id, ...checkEntry(input), groups: [], order, created_at: at, updated_at: at };
}
