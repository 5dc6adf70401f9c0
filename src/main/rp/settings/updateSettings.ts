// Changes relying-party settings: validated, audited, and refusing an RP ID change that orphans keys unconfirmed or locks anyone out.

import { checkWayIn } from './checkWayIn.js';
import { findOrphanedCredentials } from '../keys/findOrphanedCredentials.js';
import { RelyingPartyError } from '../RelyingPartyError.js';
import { resolveUserVerification } from './resolveUserVerification.js';
import type { RpContext } from '../RpContext.js';
import { rpSettingsSchema, type RpSettings, type UserVerificationPolicy } from './rpSettings.js';
import type { RpSettingsView } from './RpSettingsView.js';

export interface UpdateSettingsOptions {
  rpId?: string;
  origin?: string;
  displayName?: string;
  userVerification?: UserVerificationPolicy;
  /**
   * The user saw how many keys a new RP ID orphans (findOrphanedCredentials with that rpId) and agreed: those keys
   * stop working until the RP ID is set back. @default false
   */
  confirmOrphaning?: boolean;
}

export async function updateSettings(ctx: RpContext, options: UpdateSettingsOptions): Promise<RpSettingsView> {
  const before = ctx.store.value.settings;
  const candidate: RpSettings = {
    rp_id: options.rpId ?? before.rp_id,
    rp_origin: options.origin ?? before.rp_origin,
    rp_display_name: options.displayName ?? before.rp_display_name,
    user_verification: options.userVerification ?? before.user_verification,
  };
  const parsed = rpSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RelyingPartyError('settings-invalid', `${issue.path.join('.')} ${JSON.stringify(candidate[issue.path[0] as keyof RpSettings])} is refused: ${issue.message}`);
  }
  const next = parsed.data;
  if (next.rp_id !== before.rp_id) {
    // Nobody may be stranded: a WebAuthn-only account needs a key that works under the new RP ID.
    for (const user of ctx.store.value.users) {
      checkWayIn(user, next.rp_id, `changing the RP ID to ${next.rp_id} is refused`, 'Turn WebAuthn-only off for that account first.');
    }
    const orphaned = findOrphanedCredentials(ctx, { rpId: next.rp_id }).filter((c) => c.rp_id === before.rp_id).length;
    if (orphaned > 0 && options.confirmOrphaning !== true) {
      throw new RelyingPartyError(
        'confirmation-required',
        `changing the RP ID from ${before.rp_id} to ${next.rp_id} orphans ${orphaned} registered key(s): they only work for the RP ID they were made for. Pass confirmOrphaning: true once the user agreed.`,
      );
    }
  }
  const effective = await resolveUserVerification({ setting: next.user_verification, dataDir: ctx.dataDir, env: ctx.env });
  await ctx.store.update((file) => {
    file.settings = next;
  });
  ctx.userVerification = effective;
  for (const key of ['rp_id', 'rp_origin', 'rp_display_name', 'user_verification'] as const) {
    if (before[key] !== next[key]) await ctx.audit.record({ event: 'settings-changed', outcome: 'success', setting: key, from: before[key], to: next[key] });
  }
  return { ...next, effective_user_verification: effective };
}
