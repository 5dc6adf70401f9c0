// Public API of the relying party (DESIGN.md section 5): what the IPC handlers and the CLI import.

export { RelyingParty, DEFAULT_ALGORITHMS, type RelyingPartyOptions } from './RelyingParty.js';
export { RelyingPartyError, type RelyingPartyErrorReason } from './RelyingPartyError.js';
export { DamagedStoreError } from '../store/DamagedStoreError.js';
export { SymlinkedFileError } from '../store/SymlinkedFileError.js';
export { defaultDataDir, type DefaultDataDirOptions } from '../config/defaultDataDir.js';
export type { AccountSummary } from './accounts/accountSummary.js';
export type { SignedIn, SignInWarning } from './sign-in/SignedIn.js';
export type { CredentialRecord, RevokedCredential } from './keys/credentialRecord.js';
export { USER_VERIFICATION_POLICIES, type RpSettings, type UserVerificationPolicy } from './settings/rpSettings.js';
export type { RpSettingsView } from './settings/RpSettingsView.js';
export {
  SIGN_IN_MODES,
  DEFAULT_SIGN_IN_MODE,
  SIGN_IN_MODE_EXPLANATIONS,
  type SignInMode,
} from './settings/signInMode.js';
export type { EffectiveUserVerification } from './settings/resolveUserVerification.js';
export type { OrphanedCredential } from './keys/findOrphanedCredentials.js';
export type { PasswordSignInResult } from './sign-in/signInWithPassword.js';
export type { RecoveryResult } from './recovery/finishRecovery.js';
export type { RevokeKeyResult } from './keys/revokeKey.js';
export type { KratosIdentity, KratosWebAuthnCredential } from './kratos/kratosIdentity.js';
export { AuditLog } from '../audit/AuditLog.js';
export type { RpAuditEvent, RpAuditEventName, RpAuditRecord } from './rpAuditEvents.js';
export type { RpWarning } from './RpWarning.js';
export type { ScryptParams } from '../secrets/scrypt.js';
export type { ThrottlePolicy } from './sign-in/throttle.js';
export {
  listRpBackups,
  type ListRpBackupsOptions,
  type RpBackupListing,
  type RpBackupSummary,
} from './backups/listRpBackups.js';
export { restoreRpBackup, type RestoreRpBackupOptions, type RestoreRpBackupResult } from './backups/restoreRpBackup.js';
export type { RpContentCount } from './backups/countRpContent.js';
