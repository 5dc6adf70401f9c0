// The vault domain's public API for the adapters: its types, constants and errors (the work goes through services/vault).

export {
  ALGORITHMS,
  OTP_TYPES,
  VaultEntryError,
  type EntryInput,
  type OtpAlgorithm,
  type OtpType,
  type TimedCode,
  type VaultEntry,
  type VaultEntryErrorReason,
  type VaultEntryField,
  type VaultGroup,
} from './entries/index.js';
export { VaultDamagedError } from './errors/VaultDamagedError.js';
export { VaultVersionError } from './errors/VaultVersionError.js';
export { VaultLockoutError } from './errors/VaultLockoutError.js';
export { VaultUnlockError } from './errors/VaultUnlockError.js';
export {
  IMPORT_FORMATS,
  IMPORT_FORMAT_NAMES,
  ImportError,
  type ImportFormat,
  type ImportPreview,
  type ImportedEntry,
  type ParsedImport,
} from './transfer/import/index.js';
export { GoogleMigrationError, QrImageError, imageTypeOf } from './transfer/qr/index.js';
export { foldForSearch } from './entries/foldForSearch.js';
