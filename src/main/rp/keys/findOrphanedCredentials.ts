// Lists the keys bound to another RP ID than a given one: what a change of rp_id orphans, or already has.

import type { RpContext } from '../RpContext.js';

export interface OrphanedCredential {
  user_id: string;
  email: string;
  credential_id: string;
  display_name: string;
  /** The RP ID the key is bound to (and only works with). */
  rp_id: string;
}

export interface FindOrphanedCredentialsOptions {
  /** The RP ID to check against, e.g. one the user is about to set. @default the current rp_id setting */
  rpId?: string;
}

export function findOrphanedCredentials(
  ctx: RpContext,
  options: FindOrphanedCredentialsOptions = {},
): OrphanedCredential[] {
  const rpId = options.rpId ?? ctx.store.value.settings.rp_id;
  return ctx.store.value.users.flatMap((user) =>
    user.credentials
      .filter((c) => c.rp_id !== rpId)
      .map((c) => ({
        user_id: user.id,
        email: user.email,
        credential_id: c.id,
        display_name: c.display_name,
        rp_id: c.rp_id,
      })),
  );
}
