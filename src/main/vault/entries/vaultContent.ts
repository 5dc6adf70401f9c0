// What an unlocked vault holds, as plain data the group and search functions work on: no I/O, no crypto.

import { VaultEntryError } from './VaultEntryError.js';
import type { VaultEntry } from './vaultEntry.js';
import type { VaultGroup } from './vaultGroup.js';
import { foldForSearch } from './foldForSearch.js';
import { quoteValue } from './quoteValue.js';

/** Entries and groups keyed by their UUIDs. Functions over it return a new VaultContent and never change the old one. */
export interface VaultContent {
  readonly entries: ReadonlyMap<string, VaultEntry>;
  readonly groups: ReadonlyMap<string, VaultGroup>;
}

export function emptyVaultContent(): VaultContent {
  return { entries: new Map(), groups: new Map() };
}

/** The entry with this id, or `unknown-id` naming the field (`id` for an entry). */
export function findEntry(content: VaultContent, id: string): VaultEntry {
  const entry = content.entries.get(id);
  if (entry === undefined) throw new VaultEntryError('id', 'unknown-id', `no entry has the id ${quoteValue(id)}`);
  return entry;
}

/** The group with this id, or `unknown-id` with `group` as the field. */
export function findGroup(content: VaultContent, id: string): VaultGroup {
  const group = content.groups.get(id);
  if (group === undefined) throw new VaultEntryError('group', 'unknown-id', `no group has the id ${quoteValue(id)}`);
  return group;
}

/**
 * Refuses a name another group already has, compared as search compares (case and accents folded): "Work" and
 * "work" side by side would be two tabs nobody can tell apart.
 */
export function checkNameIsFree(content: VaultContent, name: string, exceptId?: string): void {
  const folded = foldForSearch(name);
  for (const group of content.groups.values())
    if (group.id !== exceptId && foldForSearch(group.name) === folded)
      throw new VaultEntryError('name', 'duplicate', `a group named ${quoteValue(group.name)} already exists`);
}
