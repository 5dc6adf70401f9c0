// The vault entries module's public API: the entry model, otpauth URIs, codes, groups and search.

export { VaultEntryError, type VaultEntryErrorReason, type VaultEntryField } from './VaultEntryError.js';
export {
  ALGORITHMS,
  OTP_TYPES,
  isLegacyAlgorithm,
  vaultEntrySchema,
  type OtpAlgorithm,
  type OtpType,
  type VaultEntry,
  type VaultEntryFields,
} from './vaultEntry.js';
export { checkEntry, type EntryInput } from './checkEntry.js';
export { newEntry, type NewEntryOptions } from './newEntry.js';
export { parseOtpauthUri } from './parseOtpauthUri.js';
export { formatOtpauthUri } from './formatOtpauthUri.js';
export { totpCode, type TimedCode, type TotpCodeOptions } from './totpCode.js';
export { steamCode, STEAM_ALPHABET, type SteamCodeOptions } from './steamCode.js';
export { timedCode, type TimedCodeOptions } from './timedCode.js';
export { nextHotpCode, type HotpStep, type NextHotpCodeOptions } from './nextHotpCode.js';
export { vaultGroupSchema, type VaultGroup } from './vaultGroup.js';
export { emptyVaultContent, findEntry, findGroup, type VaultContent } from './vaultContent.js';
export { createGroup, type CreateGroupOptions } from './createGroup.js';
export { renameGroup, type RenameGroupOptions } from './renameGroup.js';
export { deleteGroup, type DeleteGroupOptions } from './deleteGroup.js';
export { assignGroup, unassignGroup, type GroupMembershipOptions } from './groupMembership.js';
export { buildSearchIndex, searchEntries, type SearchIndex } from './searchEntries.js';
export { editEntry, type EditEntryOptions } from './editEntry.js';
export { vaultIconSchema, ICON_TYPES, MAX_ICON_BYTES as MAX_VAULT_ICON_BYTES, type VaultIcon } from './vaultIcon.js';
