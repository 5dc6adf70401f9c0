// The vault file as zod checks it: header, mode, slots keyed by UUID, their MAC, entries keyed by UUID, the checksum.

import { z } from 'zod';
import { VAULT_FORMAT, VAULT_VERSION } from '../crypto/additionalData.js';
import { slotSchema } from '../slots/slotSchema.js';
import { base64Of, hlcSchema, uuid } from './encodedBytes.js';

/** The three sign-in modes of the account (issue #7), which decide the slots' shapes (docs/vault-format.md). */
export const vaultMode = z.enum(['password-or-key', 'password-and-key', 'key-only']);
export type VaultMode = z.infer<typeof vaultMode>;

/**
 * One entry: its clock and tombstone flag in the clear (a merge needs them without the key), its JSON sealed. The file
 * reader applies these rules through checkEntryRecord, by hand, because zod over 10,000 records is slow; keep the two
 * in step (test/main/vault/file/fastCanonicalForm.test.ts names a member for each rule).
 */
export const entryRecordSchema = z.strictObject({
  hlc: hlcSchema,
  deleted: z.boolean(),
  nonce: base64Of({ exact: 12 }),
  /** The entry's JSON bytes under AES-256-GCM, tag appended; a tombstone seals no bytes, only the tag. */
  ciphertext: base64Of({ min: 16 }),
});
export type EntryRecord = z.infer<typeof entryRecordSchema>;

export const vaultFileSchema = z.strictObject({
  format: z.literal(VAULT_FORMAT),
  version: z.literal(VAULT_VERSION),
  vault: uuid,
  epoch: z.number().int().min(1).max(0x7fffffff),
  mode: vaultMode,
  slots: z.record(uuid, slotSchema),
  slotsMac: base64Of({ exact: 32 }),
  entries: z.record(uuid, entryRecordSchema),
  /** SHA-256 of the canonical file without this member, in lower-case hex: tells damage from a wrong password. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
});
export type VaultFile = z.infer<typeof vaultFileSchema>;
