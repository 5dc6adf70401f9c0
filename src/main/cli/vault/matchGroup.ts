// Finds the group a command line names: its name (case and accents ignored), its whole id, or a unique start of it.

import type { VaultGroup } from '../../vault/index.js';
import { UsageError } from '../UsageError.js';

const MIN_PREFIX = 4;

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;
}

/** A name first (group names are unique), then an id or its start; a usage error when nothing or several match. */
export function matchGroup(groups: readonly VaultGroup[], given: string): VaultGroup {
  const named = groups.find((g) => sameName(g.name, given.trim()));
  if (named) return named;
  const wanted = given.toLowerCase();
  const exact = groups.find((g) => g.id === wanted);
  if (exact) return exact;
  const matches = wanted.length < MIN_PREFIX ? [] : groups.filter((g) => g.id.startsWith(wanted));
  if (matches.length > 1)
    throw new UsageError(`"${given}" is the start of ${matches.length} groups' ids: give more of it, or the name`);
  if (matches.length === 0)
    throw new UsageError(`no group is named "${given}" or has an id starting with it (see "latchkey group list")`);
  return matches[0]!;
}
