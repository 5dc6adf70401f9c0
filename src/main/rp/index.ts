// Public API of the relying party (DESIGN.md section 5): what the IPC handlers and the CLI import.

export { RelyingParty, DEFAULT_ALGORITHMS, type RelyingPartyOptions } from './RelyingParty.js';
export { RelyingPartyError, type RelyingPartyErrorReason } from './RelyingPartyError.js';
export { DamagedStoreError } from '../store/DamagedStoreError.js';
export { defaultDataDir, type DefaultDataDirOptions } from '../config/defaultDataDir.js';
export type { AccountSummary } from './accounts/accountSummary.js';
export type { SignedIn, SignInWarning } from './sign-in/SignedIn.js';
export type { CredentialRecord, RevokedCredential } from './keys/credentialRecord.js';
export type { RpSettings, UserVerificationPolicy } from './settings/rpSettings.js';
export type { RpSettingsView } from './settings/RpSettingsView.js';
export { SIGN_IN_MODES, DEFAULT_SIGN_IN_MODE, SIGN_IN_MODE_EXPLANATIONS, type SignInMode } from './settings/signInMode.js';
export { USER_VERIFICATION_POLICIES } from './settings/rpSettings.js';
export type { EffectiveUserVerification } from './settings/resolveUserVerification.js';
export type { OrphanedCredential } from './keys/findOrphanedCredentials.js';
export type { PasswordSignInResult } from './sign-in/signInWithPassword.js';
export type { RecoveryResult } from './recovery/finishRecovery.js';
export type { RevokeKeyResult } from './keys/revokeKey.js';
export type { KratosIdentity, KratosWebAuthnCredential } from './kratos/kratosIdentity.js';
export { AuditLog, type AuditEvent, type AuditEventName, type AuditRecord } from '../audit/AuditLog.js';
export type { ScryptParams } from '../secrets/secretHash.js';
export type { ThrottlePolicy } from './sign-in/throttle.js';
