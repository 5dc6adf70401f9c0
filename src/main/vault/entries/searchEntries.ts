// Search over service, account and group names, case- and accent-insensitive, in list order: fast enough per keystroke.

import { foldForSearch } from './foldForSearch.js';
import type { VaultContent } from './vaultContent.js';
import type { VaultEntry } from './vaultEntry.js';

/**
 * The content prepared for searching: entries sorted by order, each with its folded text. Build it once when the
 * content changes; a keystroke then costs one substring test per entry and word (10,000 entries: well under a
 * millisecond), where folding on every keystroke would normalize 30,000 strings each time.
 */
export interface SearchIndex {
  readonly rows: readonly { readonly entry: VaultEntry; readonly text: string }[];
}

/** Ties in `order` fall back to service, then account, then id, so the list never reshuffles between searches. */
function compareEntries(a: VaultEntry, b: VaultEntry): number {
  return (
    a.order - b.order ||
    a.service.localeCompare(b.service) ||
    a.account.localeCompare(b.account) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function buildSearchIndex(content: VaultContent): SearchIndex {
  const rows = [...content.entries.values()].sort(compareEntries).map((entry) => {
    const groupNames = entry.groups.map((id) => content.groups.get(id)?.name ?? '');
    // A newline separates the fields, so that a word never matches across the end of one and the start of the next.
    return { entry, text: foldForSearch([entry.service, entry.account, ...groupNames].join('\n')) };
  });
  return { rows };
}

/**
 * The entries whose service, account or group names contain every word of the query (folded the same way), in list
 * order. An empty query gives every entry.
 */
export function searchEntries(index: SearchIndex, query: string): VaultEntry[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  const found: VaultEntry[] = [];
  for (const row of index.rows) if (words.every((word) => row.text.includes(word))) found.push(row.entry);
  return found;
}
