// Finds the entry a command line names: its whole UUID, or a unique start of it (as git takes short hashes).

import type { EntrySummary } from '../../services/vault/index.js';
import { UsageError } from '../UsageError.js';

/** A prefix shorter than this is more likely a slip than a choice. */
const MIN_PREFIX = 4;

/** The entry whose id is `given` or starts with it (any case); a usage error when none or several do. */
export function matchEntry(entries: readonly EntrySummary[], given: string): EntrySummary {
  const wanted = given.toLowerCase();
  const exact = entries.find((e) => e.id === wanted);
  if (exact) return exact;
  if (wanted.length < MIN_PREFIX)
    throw new UsageError(
      `"${given}" is too short to name an entry: give its id, or at least its first ${MIN_PREFIX} characters (see "latchkey entry list")`,
    );
  const matches = entries.filter((e) => e.id.startsWith(wanted));
  if (matches.length > 1)
    throw new UsageError(
      `"${given}" is the start of ${matches.length} entries' ids (${matches.map((e) => JSON.stringify(e.service)).join(', ')}): give more of it`,
    );
  if (matches.length === 0)
    throw new UsageError(`no entry has an id starting with "${given}" (see "latchkey entry list")`);
  return matches[0]!;
}
