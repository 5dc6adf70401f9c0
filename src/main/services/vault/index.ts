// Public API of the vault service: the open vault the CLI and the app's IPC handlers work with.

export {
  OpenVault,
  type OpenVaultOptions,
  type AddEntryOptions,
  type AddedEntry,
  type EntryCode,
  type HotpCode,
  type SecretReveal,
  type ImportCandidate,
  type ImportedEntries,
} from './OpenVault.js';
export { entrySummary, type EntrySummary } from './entrySummary.js';
export type { DuplicateReason } from './findDuplicates.js';
export { VaultLockedError } from './VaultLockedError.js';
export {
  readVaultContent,
  encodeEntryRecord,
  encodeGroupRecord,
  decodeRecord,
  type VaultRecord,
} from './vaultRecords.js';
