// Validates a key name the user chose (1 to 64 characters, nothing invisible), naming what is wrong with it.

import { newDisplayNameSchema } from './credentialRecord.js';
import { quoteForMessage } from '../../text/quoteForMessage.js';
import { RelyingPartyError } from '../RelyingPartyError.js';

/** The name as stored (trimmed), or `display-name-invalid` with the name quoted safely (quoteForMessage). */
export function checkDisplayName(name: string): string {
  const parsed = newDisplayNameSchema.safeParse(name);
  if (!parsed.success)
    throw new RelyingPartyError(
      'display-name-invalid',
      `the key name ${quoteForMessage(name)} is not usable: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}
