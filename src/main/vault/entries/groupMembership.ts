// Puts entries in groups and takes them out, as pure functions over VaultContent.

import { findEntry, findGroup, type VaultContent } from './vaultContent.js';
import type { VaultEntry } from './vaultEntry.js';

export interface GroupMembershipOptions {
  entryId: string;
  groupId: string;
  /** Default: now. Written as the entry's updated_at when it changes. */
  now?: Date;
}

/** Puts the entry in the group; assigning it twice returns the content unchanged. */
export function assignGroup(
  content: VaultContent,
  { entryId, groupId, now = new Date() }: GroupMembershipOptions,
): VaultContent {
  const entry = findEntry(content, entryId);
  findGroup(content, groupId);
  if (entry.groups.includes(groupId)) return content;
  const assigned = { ...entry, groups: [...entry.groups, groupId], updated_at: now.toISOString() };
  return { entries: new Map(content.entries).set(entryId, assigned), groups: content.groups };
}

/** Takes the entry out of the group; an entry that was not in it returns the content unchanged. */
export function unassignGroup(
  content: VaultContent,
  { entryId, groupId, now = new Date() }: GroupMembershipOptions,
): VaultContent {
  const entry = findEntry(content, entryId);
  findGroup(content, groupId);
  if (!entry.groups.includes(groupId)) return content;
  return { entries: new Map(content.entries).set(entryId, withoutGroup(entry, groupId, now)), groups: content.groups };
}

/** The entry without the group, its updated_at moved to `now`. */
export function withoutGroup(entry: VaultEntry, groupId: string, now: Date): VaultEntry {
  return { ...entry, groups: entry.groups.filter((g) => g !== groupId), updated_at: now.toISOString() };
}
