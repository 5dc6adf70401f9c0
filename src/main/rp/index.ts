// Public API of the relying party (DESIGN.md section 5): what the IPC handlers and the CLI import.

export { RelyingParty, DEFAULT_ALGORITHMS, type RelyingPartyOptions } from './RelyingParty.js';
export { RelyingPartyError, type RelyingPartyErrorReason } from './RelyingPartyError.js';
export { DamagedStoreError } from './DamagedStoreError.js';
export { defaultDataDir, type DefaultDataDirOptions } from './defaultDataDir.js';
export type { AccountSummary } from './accountSummary.js';
export type { SignedIn, SignInWarning } from './SignedIn.js';
export type { CredentialRecord, RevokedCredential } from './credentialRecord.js';
export type { RpSettings, UserVerificationPolicy } from './rpSettings.js';
export type { RpSettingsView } from './RpSettingsView.js';
export type { EffectiveUserVerification } from './resolveUserVerification.js';
export type { OrphanedCredential } from './findOrphanedCredentials.js';
export type { PasswordSignInResult } from './signInWithPassword.js';
export type { RecoveryResult } from './finishRecovery.js';
export type { RevokeKeyResult } from './revokeKey.js';
export type { KratosIdentity, KratosWebAuthnCredential } from './kratosIdentity.js';
export { AuditLog, type AuditEvent, type AuditEventName, type AuditRecord } from './AuditLog.js';
export type { ScryptParams } from './secretHash.js';
export type { ThrottlePolicy } from './throttle.js';
