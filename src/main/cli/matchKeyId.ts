// Finds the key a command line names: its full credential ID, or a unique prefix of it (as git takes short hashes).

import type { CredentialRecord } from '../rp/index.js';
import { UsageError } from './UsageError.js';

/** A prefix shorter than this is more likely a slip than a choice. */
const MIN_PREFIX = 4;

/**
 * The full ID of the account's key that `given` names. An ID that matches nothing is returned as given, so the
 * relying party can say whether it was revoked or never existed; fewer than 4 characters are refused as a prefix.
 */
export function matchKeyId(keys: readonly CredentialRecord[], given: string): string {
  if (keys.some((k) => k.id === given)) return given;
  if (given.length < MIN_PREFIX) {
    throw new UsageError(
      `"${given}" is too short to name a key: give its whole credential ID, or at least its first ${MIN_PREFIX} characters (see "latchkey key list")`,
    );
  }
  const matches = keys.filter((k) => k.id.startsWith(given));
  if (matches.length > 1) {
    throw new UsageError(
      `"${given}" is the start of ${matches.length} keys' IDs (${matches.map((k) => `"${k.display_name}"`).join(', ')}): give more of it`,
    );
  }
  return matches[0]?.id ?? given;
}
