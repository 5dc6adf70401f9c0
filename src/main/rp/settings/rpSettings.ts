// The relying party's settings (rp id, origin, display name, user verification policy) and their validation.

import { z } from 'zod';

export const USER_VERIFICATION_POLICIES = ['required', 'preferred', 'discouraged'] as const;
export type UserVerificationPolicy = (typeof USER_VERIFICATION_POLICIES)[number];

/** A DNS name in lower case (WebAuthn RP IDs are valid domain strings, L3 section 5.1.2). */
const RP_ID = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const rpSettingsSchema = z
  .strictObject({
    rp_id: z.string().regex(RP_ID, 'an RP ID is a lower-case domain name such as latchkey.localhost'),
    rp_origin: z.string().refine(isOrigin, {
      message:
        'an origin is https://host[:port] with no path (http only for localhost), e.g. https://latchkey.localhost',
    }),
    rp_display_name: z.string().trim().min(1).max(64),
    user_verification: z.enum(USER_VERIFICATION_POLICIES),
  })
  .superRefine((s, ctx) => {
    if (isOrigin(s.rp_origin) && !originMatchesRpId(s.rp_origin, s.rp_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rp_origin'],
        message: `the origin's host ${new URL(s.rp_origin).hostname} is not ${s.rp_id} or a subdomain of it, so browsers and keys would refuse every ceremony`,
      });
    }
  });

export type RpSettings = z.infer<typeof rpSettingsSchema>;

export const DEFAULT_RP_SETTINGS: Readonly<RpSettings> = {
  rp_id: 'latchkey.localhost',
  rp_origin: 'https://latchkey.localhost',
  rp_display_name: 'Latchkey',
  user_verification: 'preferred',
};

function isOrigin(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  // A secure context is required by WebAuthn; http is allowed only for localhost, as browsers do.
  const secure =
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')));
  return secure && url.origin === text;
}

/** WebAuthn L3 section 5.1.3 step 8: the RP ID must equal the origin's effective domain or be a registrable suffix of it. */
function originMatchesRpId(origin: string, rpId: string): boolean {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
}
