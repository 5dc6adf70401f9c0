// A registered key in words, for `key list`, `key add` and `recovery use`: name, id, dates, and any clone warning.

import type { CredentialRecord } from '../rp/index.js';

export function formatKey(key: CredentialRecord): string[] {
  const traits = [
    key.is_passwordless ? 'discoverable (a passkey: signs in without the email)' : 'not discoverable',
    key.flags.user_verified ? 'verified the user (PIN or fingerprint)' : 'no user verification seen yet',
    ...(key.hmac_secret ? ['hmac-secret'] : []),
  ];
  return [
    key.display_name,
    `  id         ${key.id}`,
    `  added      ${key.added_at}`,
    `  last used  ${key.last_used_at ?? 'never'}`,
    `  kind       ${traits.join(', ')}`,
    ...(key.authenticator.clone_warning
      ? [
          '  WARNING    its signature counter went backwards once: it may have been cloned. Revoke it unless you restored it from a backup.',
        ]
      : []),
  ];
}
