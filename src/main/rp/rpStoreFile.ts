// The relying party's file (relying-party.json): its format name, schema version and zod schema.

import { z } from 'zod';
import { rpSettingsSchema, DEFAULT_RP_SETTINGS } from './settings/rpSettings.js';
import { userRecordSchema } from './accounts/userRecord.js';

export const RP_STORE_FORMAT = 'latchkey-relying-party';
export const RP_STORE_VERSION = 1;
export const RP_STORE_FILE_NAME = 'relying-party.json';

export const rpStoreFileSchema = z
  .strictObject({
    format: z.literal(RP_STORE_FORMAT),
    version: z.literal(RP_STORE_VERSION),
    settings: rpSettingsSchema,
    users: z.array(userRecordSchema),
  })
  .superRefine((file, ctx) => {
    // Uniqueness the lookups rely on: one account per email, a credential ID in one place only.
    const emails = new Set<string>();
    const ids = new Set<string>();
    file.users.forEach((user, u) => {
      if (emails.has(user.email))
        ctx.addIssue({ code: 'custom', path: ['users', u, 'email'], message: `email ${user.email} appears twice` });
      emails.add(user.email);
      for (const id of [...user.credentials.map((c) => c.id), ...user.revoked_credentials.map((c) => c.id)]) {
        if (ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['users', u, 'credentials'],
            message: `credential ${id} appears twice`,
          });
        ids.add(id);
      }
    });
  });

export type RpStoreFile = z.infer<typeof rpStoreFileSchema>;

export function emptyRpStore(): RpStoreFile {
  return { format: RP_STORE_FORMAT, version: RP_STORE_VERSION, settings: { ...DEFAULT_RP_SETTINGS }, users: [] };
}
