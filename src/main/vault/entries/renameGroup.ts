// Renames a group, as a pure function over VaultContent.

import { checkNameIsFree, findGroup, type VaultContent } from './vaultContent.js';
import { checkGroupName } from './vaultGroup.js';

export interface RenameGroupOptions {
  id: string;
  /** The same rules as createGroup's; the group's own name in another case is allowed. */
  name: unknown;
  /** Default: now. Written as the group's updated_at. */
  now?: Date;
}

export function renameGroup(content: VaultContent, { id, name, now = new Date() }: RenameGroupOptions): VaultContent {
  const group = findGroup(content, id);
  const checked = checkGroupName(name);
  checkNameIsFree(content, checked, id);
  const renamed = { ...group, name: checked, updated_at: now.toISOString() };
  return { entries: content.entries, groups: new Map(content.groups).set(id, renamed) };
}
