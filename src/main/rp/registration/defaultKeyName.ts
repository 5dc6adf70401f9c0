// The name a new key is offered: its model from the AAGUID ("YubiKey 5 NFC"), numbered when the account already has one.

import { modelForAaguid } from '../../../ctap/index.js';
import type { CredentialRecord } from '../keys/credentialRecord.js';

const FALLBACK = 'Security key';

export function defaultKeyName(aaguid: string, existing: readonly Pick<CredentialRecord, 'display_name'>[]): string {
  const model = modelForAaguid(aaguid) ?? FALLBACK;
  const taken = new Set(existing.map((c) => c.display_name));
  if (!taken.has(model)) return model;
  for (let n = 2; ; n++) if (!taken.has(`${model} (${n})`)) return `${model} (${n})`;
}
