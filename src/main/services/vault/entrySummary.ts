// An entry as lists, searches and --json show it: every field but the secret, which only revealSecret hands out.

import type { VaultEntry } from '../../vault/entries/index.js';

export type EntrySummary = Omit<VaultEntry, 'secret'>;

export function entrySummary(entry: VaultEntry): EntrySummary {
  const { secret: _secret, ...summary } = entry;
  return summary;
}
