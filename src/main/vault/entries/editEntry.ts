// Changes fields of a stored entry, checked again as a whole, keeping its id, groups and creation time.

import { checkEntry, type EntryInput } from './checkEntry.js';
import { quoteValue } from './quoteValue.js';
import type { VaultEntry } from './vaultEntry.js';
import { VaultEntryError } from './VaultEntryError.js';

export interface EditEntryOptions {
  entry: VaultEntry;
  /** The fields to change; absent ones keep their value. `order` moves the entry in the list. */
  changes: EntryInput & { order?: unknown };
  /** Default: now. Written as updated_at. */
  now?: Date;
}

/**
 * The entry with `changes` applied, or a VaultEntryError naming the first field at fault (the entry given is never
 * changed). When `otp_type` changes, period and counter (and, to or from Steam, digits and algorithm) fall back to the
 * new type's defaults unless `changes` gives them: a TOTP entry turned HOTP must not keep its period.
 */
export function editEntry({ entry, changes, now = new Date() }: EditEntryOptions): VaultEntry {
  const { order = entry.order, ...fields } = changes;
  if (typeof order !== 'number' || !Number.isSafeInteger(order) || order < 0)
    throw new VaultEntryError(
      'order',
      'invalid',
      `the order must be a whole number from 0, found ${quoteValue(order)}`,
    );
  const { id, groups, created_at, updated_at: _, order: __, ...stored } = entry;
  const newType = typeof fields.otp_type === 'string' ? fields.otp_type.toLowerCase() : entry.otp_type;
  const kept: EntryInput = { ...stored };
  if (newType !== entry.otp_type) {
    kept.period = kept.counter = undefined;
    // Steam fixes digits and algorithm; between TOTP and HOTP they carry over.
    if (newType === 'steamtotp' || entry.otp_type === 'steamtotp') kept.digits = kept.algorithm = undefined;
  }
  const checked = checkEntry({ ...kept, ...fields });
  return { id, ...checked, groups, order, created_at, updated_at: now.toISOString() };
}
