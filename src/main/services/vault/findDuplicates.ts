// Finds the entries a new one would duplicate: the same code generator, or the same service and account.

import { foldForSearch } from '../../vault/entries/foldForSearch.js';
import type { VaultContent, VaultEntry, VaultEntryFields } from '../../vault/entries/index.js';

/** Why an existing entry counts as a duplicate of a new one. */
export type DuplicateReason = 'same-secret' | 'same-account';

export interface Duplicate {
  entry: VaultEntry;
  reason: DuplicateReason;
}

/**
 * `same-secret`: same type and secret, so the same codes (a QR code scanned twice). `same-account`: same service and
 * account (case and accents folded) with another secret, which is usually 2FA set up again at the service, where the
 * old entry no longer works.
 */
export function findDuplicates(content: VaultContent, fields: VaultEntryFields): Duplicate[] {
  const service = foldForSearch(fields.service);
  const account = foldForSearch(fields.account);
  const found: Duplicate[] = [];
  for (const entry of content.entries.values()) {
    if (entry.otp_type === fields.otp_type && entry.secret === fields.secret)
      found.push({ entry, reason: 'same-secret' });
    else if (foldForSearch(entry.service) === service && foldForSearch(entry.account) === account)
      found.push({ entry, reason: 'same-account' });
  }
  return found;
}
