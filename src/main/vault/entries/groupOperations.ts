// Creating, renaming and deleting groups, and putting entries in and out of them, as pure functions over VaultContent.

import { randomUUID } from 'node:crypto';
import { checkNameIsFree, findEntry, findGroup, type VaultContent } from './vaultContent.js';
import { checkGroupName, type VaultGroup } from './vaultGroup.js';
import type { VaultEntry } from './vaultEntry.js';

interface Timed {
  /** Default: now. Written as the changed records' updated_at. */
  now?: Date;
}

export interface CreateGroupOptions extends Timed {
  name: unknown;
  /** Default: a random UUID. */
  id?: string;
}

export function createGroup(
  content: VaultContent,
  { name, id = randomUUID(), now = new Date() }: CreateGroupOptions,
): { content: VaultContent; group: VaultGroup } {
  const checked = checkGroupName(name);
  checkNameIsFree(content, checked);
  const at = now.toISOString();
  const group: VaultGroup = { id, name: checked, created_at: at, updated_at: at };
  return { content: { entries: content.entries, groups: new Map(content.groups).set(id, group) }, group };
}

export function renameGroup(
  content: VaultContent,
  { id, name, now = new Date() }: Timed & { id: string; name: unknown },
): VaultContent {
  const group = findGroup(content, id);
  const checked = checkGroupName(name);
  checkNameIsFree(content, checked, id);
  const renamed = { ...group, name: checked, updated_at: now.toISOString() };
  return { entries: content.entries, groups: new Map(content.groups).set(id, renamed) };
}

/** Deletes the group; its entries stay, each losing the group from its `groups`. */
export function deleteGroup(content: VaultContent, { id, now = new Date() }: Timed & { id: string }): VaultContent {
  findGroup(content, id);
  const groups = new Map(content.groups);
  groups.delete(id);
  const entries = new Map(content.entries);
  for (const entry of content.entries.values())
    if (entry.groups.includes(id)) entries.set(entry.id, withoutGroup(entry, id, now));
  return { entries, groups };
}

/** Puts the entry in the group; assigning it twice changes nothing. */
export function assignGroup(
  content: VaultContent,
  { entryId, groupId, now = new Date() }: Timed & { entryId: string; groupId: string },
): VaultContent {
  const entry = findEntry(content, entryId);
  findGroup(content, groupId);
  if (entry.groups.includes(groupId)) return content;
  const assigned = { ...entry, groups: [...entry.groups, groupId], updated_at: now.toISOString() };
  return { entries: new Map(content.entries).set(entryId, assigned), groups: content.groups };
}

/** Takes the entry out of the group; an entry that was not in it is left as it was. */
export function unassignGroup(
  content: VaultContent,
  { entryId, groupId, now = new Date() }: Timed & { entryId: string; groupId: string },
): VaultContent {
  const entry = findEntry(content, entryId);
  findGroup(content, groupId);
  if (!entry.groups.includes(groupId)) return content;
  return { entries: new Map(content.entries).set(entryId, withoutGroup(entry, groupId, now)), groups: content.groups };
}

function withoutGroup(entry: VaultEntry, groupId: string, now: Date): VaultEntry {
  return { ...entry, groups: entry.groups.filter((g) => g !== groupId), updated_at: now.toISOString() };
}
