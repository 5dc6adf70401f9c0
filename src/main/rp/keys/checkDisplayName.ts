// Validates a key name the user chose (1 to 64 characters, no control characters), naming what is wrong with it.

import { displayNameSchema } from './credentialRecord.js';
import { RelyingPartyError } from '../RelyingPartyError.js';

export function checkDisplayName(name: string): string {
  const parsed = displayNameSchema.safeParse(name);
  if (!parsed.success) throw new RelyingPartyError('display-name-invalid', `the key name ${JSON.stringify(name)} is not usable: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
