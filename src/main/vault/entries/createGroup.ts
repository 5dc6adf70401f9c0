// Creates a group with a checked, unused name, as a pure function over VaultContent.

import { randomUUID } from 'node:crypto';
import { checkNameIsFree, type VaultContent } from './vaultContent.js';
import { checkGroupName, type VaultGroup } from './vaultGroup.js';

export interface CreateGroupOptions {
  /** Trimmed; refused when empty, longer than 32 characters, or another group's name (case and accents folded). */
  name: unknown;
  /** Default: a random UUID. */
  id?: string;
  /** Default: now. Written as created_at and updated_at. */
  now?: Date;
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
