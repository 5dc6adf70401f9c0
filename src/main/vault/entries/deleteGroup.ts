// Deletes a group while keeping its entries, as a pure function over VaultContent.

import { withoutGroup } from './groupMembership.js';
import { findGroup, type VaultContent } from './vaultContent.js';

export interface DeleteGroupOptions {
  id: string;
  /** Default: now. Written as updated_at of each entry that loses the group. */
  now?: Date;
}

/** Deleting a group never deletes entries: each entry in it stays, with the group gone from its `groups`. */
export function deleteGroup(content: VaultContent, { id, now = new Date() }: DeleteGroupOptions): VaultContent {
  findGroup(content, id);
  const groups = new Map(content.groups);
  groups.delete(id);
  const entries = new Map(content.entries);
  for (const entry of content.entries.values())
    if (entry.groups.includes(id)) entries.set(entry.id, withoutGroup(entry, id, now));
  return { entries, groups };
}
