// A group of entries (2FAuth's groups): an id and a name, and the rule for names.

import { z } from 'zod';
import { isoInstant, uuidText } from '../../store/encodedFields.js';
import { quoteValue } from './quoteValue.js';
import { VaultEntryError } from './VaultEntryError.js';

/** 2FAuth's group names fit a 32-character column; a tab label longer than that does not fit a screen either. */
export const MAX_GROUP_NAME_LENGTH = 32;

export const vaultGroupSchema = z.strictObject({
  id: uuidText,
  name: z.string().min(1).max(MAX_GROUP_NAME_LENGTH),
  created_at: isoInstant,
  updated_at: isoInstant,
});

export type VaultGroup = z.infer<typeof vaultGroupSchema>;

/** The name as stored (trimmed), or a VaultEntryError with `name` as the field. */
export function checkGroupName(name: unknown): string {
  if (typeof name !== 'string')
    throw new VaultEntryError('name', 'invalid', `a group name must be text, found ${quoteValue(name)}`);
  const trimmed = name.trim();
  if (trimmed === '') throw new VaultEntryError('name', 'missing', 'a group name cannot be empty');
  if (trimmed.length > MAX_GROUP_NAME_LENGTH)
    throw new VaultEntryError(
      'name',
      'out-of-range',
      `the group name ${quoteValue(trimmed)} has ${trimmed.length} characters, expected at most ${MAX_GROUP_NAME_LENGTH}`,
    );
  if (/\p{Cc}/u.test(trimmed))
    throw new VaultEntryError('name', 'invalid', `the group name ${quoteValue(trimmed)} contains control characters`);
  return trimmed;
}
