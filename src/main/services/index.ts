// Public API of the services layer: what the adapters (the CLI, the app's IPC handlers) import.

export {
  Session,
  type SessionOptions,
  type SignInOptions,
  type RevokeOptions,
  type RevokeOutcome,
  type LockListener,
} from './Session.js';
export type {
  Prompter,
  SecretPrompt,
  SecretKind,
  TouchPrompt,
  TouchPurpose,
  ChooseKeyPrompt,
  KeyChoice,
  InsertKeyPrompt,
  ConfirmPrompt,
  ProgressStep,
} from './Prompter.js';
export { ServiceError, type ServiceErrorReason, type ServiceErrorDetails } from './ServiceError.js';
export {
  chooseSignInPath,
  signInMode,
  onlyAccount,
  type SignInMode,
  type SignInPath,
  type ChooseSignInPathOptions,
} from './signInPath.js';
export {
  deviceKeySource,
  virtualKeySource,
  virtualKeyNotice,
  type KeySource,
  type VirtualKeyNotice,
  type DeviceKeySourceOptions,
  type VirtualKeySourceOptions,
} from './keySource.js';
export {
  loadVirtualKeyState,
  VirtualKeyStateFile,
  withVirtualKeyLock,
  type VirtualKeyLockOptions,
} from './virtualKeyStateFile.js';
export {
  createDeviceManager,
  KEY_TRANSPORTS,
  type KeyTransport,
  type CreateDeviceManagerOptions,
} from './createDeviceManager.js';
export { systemErrorMessage } from './systemErrorMessage.js';
export { prompterUi, type PrompterUi } from './prompterUi.js';
export {
  VpcdClient,
  VPCD_PORTS,
  type DeviceManager,
  type OpenedDevice,
  type DeviceInfo,
  type TransportStatus,
} from '../devices/index.js';
export { withOnlyKey, type OnlyKey } from './onlyKey.js';
export { OpenVault, VaultLockedError, type EntrySummary } from './vault/index.js';
export type { VaultKeyWay } from './vault/SessionVault.js';
export { VaultChangedError } from './vault/VaultChangedError.js';
export type { OsKeychain, OsKeychainAvailability } from '../secrets/OsKeychain.js';
export type { VaultBackup } from './vault/vaultBackups.js';
export {
  readImportFiles,
  readImportData,
  readScreenImport,
  type ImportFileData,
  type ReadImportFilesOptions,
} from './vault/readImportFiles.js';
export { EXPORT_FORMATS, type ExportFormat, type ExportVaultOptions, type VaultExport } from './vault/exportVault.js';
