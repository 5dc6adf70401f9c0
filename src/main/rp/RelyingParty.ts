// Latchkey's WebAuthn relying party: opens the data folder and offers every account, key and settings operation.

import { join } from 'node:path';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { accountSummary, type AccountSummary } from './accounts/accountSummary.js';
import { AUDIT_LOG_FILE_NAME, AuditLog } from '../audit/AuditLog.js';
import { ChallengeStore } from './ceremony/ChallengeStore.js';
import type { CredentialRecord } from './keys/credentialRecord.js';
import { defaultDataDir } from '../config/defaultDataDir.js';
import { exportKratosIdentity, type ExportKratosIdentityOptions } from './kratos/exportKratosIdentity.js';
import {
  findOrphanedCredentials,
  type FindOrphanedCredentialsOptions,
  type OrphanedCredential,
} from './keys/findOrphanedCredentials.js';
import { findUser, type UserKey } from './accounts/findUser.js';
import { finishKeyRegistration, type FinishKeyRegistrationOptions } from './registration/finishKeyRegistration.js';
import { finishKeySignIn, type FinishKeySignInOptions } from './sign-in/finishKeySignIn.js';
import { finishRecovery, type FinishRecoveryOptions, type RecoveryResult } from './recovery/finishRecovery.js';
import {
  importKratosIdentity,
  type ImportKratosIdentityOptions,
  type ImportKratosIdentityResult,
} from './kratos/importKratosIdentity.js';
import { JsonStore } from '../store/JsonStore.js';
import type { KratosIdentity } from './kratos/kratosIdentity.js';
import { regenerateRecoveryCode, type RegenerateRecoveryCodeOptions } from './recovery/regenerateRecoveryCode.js';
import { renameKey, type RenameKeyOptions } from './keys/renameKey.js';
import { resolveUserVerification } from './settings/resolveUserVerification.js';
import { revokeKey, type RevokeKeyOptions, type RevokeKeyResult } from './keys/revokeKey.js';
import type { RpContext } from './RpContext.js';
import type { RpSettingsView } from './settings/RpSettingsView.js';
import { emptyRpStore, RP_STORE_FILE_NAME } from './rpStoreFile.js';
import { RP_AUDIT_FIELDS, type RpAuditEvent } from './rpAuditEvents.js';
import { RP_RESTORE_ADVICE, rpStoreSpec } from './rpStoreSpec.js';
import type { RpWarning } from './RpWarning.js';
import {
  DEFAULT_SCRYPT_PARAMS,
  describeScrypt,
  isWeakerScrypt,
  MIN_SCRYPT_PARAMS,
  type ScryptParams,
} from '../secrets/scrypt.js';
import { RelyingPartyError } from './RelyingPartyError.js';
import { setSignInMode, type SetSignInModeOptions } from './settings/setSignInMode.js';
import { setWebAuthnOnly, type SetWebAuthnOnlyOptions } from './settings/setWebAuthnOnly.js';
import type { SignedIn } from './sign-in/SignedIn.js';
import {
  signInWithPassword,
  type PasswordSignInResult,
  type SignInWithPasswordOptions,
} from './sign-in/signInWithPassword.js';
import { signUp, type SignUpOptions, type SignUpResult } from './accounts/signUp.js';
import { changePassword, type ChangePasswordOptions } from './accounts/changePassword.js';
import { confirmPassword, type ConfirmPasswordOptions } from './accounts/confirmPassword.js';
import { startKeyRegistration, type StartKeyRegistrationOptions } from './registration/startKeyRegistration.js';
import { startPasswordlessSignIn, type StartPasswordlessSignInOptions } from './sign-in/startPasswordlessSignIn.js';
import { startRecovery, type StartRecoveryOptions } from './recovery/startRecovery.js';
import { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from './sign-in/throttle.js';
import { updateSettings, type UpdateSettingsOptions } from './settings/updateSettings.js';
import { userVerificationWayOut } from './settings/userVerificationWayOut.js';

export interface RelyingPartyOptions {
  /** Where relying-party.json, its backups, audit.jsonl and an optional .env live. @default defaultDataDir() */
  dataDir?: string;
  /** Variables such as WEBAUTHN_USER_VERIFICATION. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The clock, in ms since the epoch (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** How long a ceremony's challenge can be answered. @default 120000 */
  challengeTtlMs?: number;
  /** scrypt parameters for new password and recovery code hashes. @default DEFAULT_SCRYPT_PARAMS (N 2^17, r 8, p 1) */
  scrypt?: ScryptParams;
  /**
   * The weakest scrypt parameters accepted, for stored hashes (a file holding a weaker one is refused as damaged) and for
   * `scrypt`. Only tests lower it, to hash quickly. @default MIN_SCRYPT_PARAMS (N 2^15, r 8, p 1)
   */
  minScrypt?: ScryptParams;
  /** Told what succeeded only in part (an audit event that could not be written). @default process.emitWarning */
  onWarning?: (warning: RpWarning) => void;
  /** Waits after failed password and recovery code attempts. @default DEFAULT_THROTTLE_POLICY (3 free, then 1 s doubling to 15 min) */
  throttle?: ThrottlePolicy;
  /** COSE algorithms offered and accepted. @default [-8 EdDSA, -7 ES256, -257 RS256] */
  algorithms?: readonly number[];
  /** Previous versions of relying-party.json kept. @default 5 */
  backups?: number;
  /** A new backup is taken when the newest is at least this old. @default 15 minutes */
  backupIntervalMs?: number;
}

export const DEFAULT_ALGORITHMS: readonly number[] = [-8, -7, -257];

/**
 * The caller (IPC handler, CLI) keeps the session: operations that act on an account take its id and trust that the
 * caller signed that account in. Ceremonies are two calls, start (options for the WebAuthn client) and finish (its
 * response), tied by a single-use challenge held in memory.
 */
export class RelyingParty {
  readonly #ctx: RpContext;

  private constructor(ctx: RpContext) {
    this.#ctx = ctx;
  }

  /** Opens (or starts) the data folder. Throws DamagedStoreError for a damaged file, RelyingPartyError for a bad policy value. */
  static async open(options: RelyingPartyOptions = {}): Promise<RelyingParty> {
    const dataDir = options.dataDir ?? defaultDataDir();
    const now = options.now ?? Date.now;
    const env = options.env ?? process.env;
    const scrypt = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    const minScrypt = options.minScrypt ?? MIN_SCRYPT_PARAMS;
    if (isWeakerScrypt(scrypt, minScrypt)) {
      throw new RelyingPartyError(
        'settings-invalid',
        `scrypt ${describeScrypt(scrypt)} is weaker than the minimum ${describeScrypt(minScrypt)} for new hashes`,
      );
    }
    const onWarning =
      options.onWarning ??
      ((warning: RpWarning) =>
        process.emitWarning(warning.message, { code: `LATCHKEY_${warning.code.toUpperCase().replace(/-/g, '_')}` }));
    const store = await JsonStore.open({
      ...rpStoreSpec(minScrypt),
      file: join(dataDir, RP_STORE_FILE_NAME),
      initial: emptyRpStore,
      restoreAdvice: RP_RESTORE_ADVICE,
      backups: options.backups ?? 5,
      ...(options.backupIntervalMs === undefined ? {} : { backupIntervalMs: options.backupIntervalMs }),
    });
    const userVerification = await resolveUserVerification({
      setting: store.value.settings.user_verification,
      dataDir,
      env,
    });
    return new RelyingParty({
      dataDir,
      store,
      audit: new AuditLog<RpAuditEvent>({
        file: join(dataDir, AUDIT_LOG_FILE_NAME),
        now,
        fields: RP_AUDIT_FIELDS,
        // The change an event records is already on disk: losing its result (a recovery code shown once) would be worse.
        onError: (error, event) =>
          onWarning({
            code: 'audit-unwritable',
            message: `the ${event.event} event could not be written to the audit log (${error.message}); the operation itself went ahead`,
          }),
      }),
      challenges: new ChallengeStore({ ttlMs: options.challengeTtlMs ?? 120_000, now }),
      now,
      env,
      scrypt,
      throttle: options.throttle ?? DEFAULT_THROTTLE_POLICY,
      algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
      userVerification,
    });
  }

  /**
   * Takes in what another process wrote to the data folder since (the app and a `latchkey` command may run at once).
   * Every operation that returns a promise does this first; call it before the synchronous readers (account, accounts,
   * listKeys, settings) in a process that stays open.
   */
  async refresh(): Promise<void> {
    const before = this.#ctx.store.value.settings.user_verification;
    await this.#ctx.store.refresh();
    const setting = this.#ctx.store.value.settings.user_verification;
    if (setting !== before)
      this.#ctx.userVerification = await resolveUserVerification({
        setting,
        dataDir: this.#ctx.dataDir,
        env: this.#ctx.env,
      });
  }

  async #fresh<R>(operation: () => Promise<R>): Promise<R> {
    await this.refresh();
    return operation();
  }

  get dataDir(): string {
    return this.#ctx.dataDir;
  }

  /** The audit log, for a UI that shows recent security events. */
  get auditLog(): AuditLog<RpAuditEvent> {
    return this.#ctx.audit;
  }

  // Accounts

  signUp(options: SignUpOptions): Promise<SignUpResult> {
    return this.#fresh(() => signUp(this.#ctx, options));
  }

  /** Needs the current password only, throttled as sign-in is (accounts/changePassword.ts). */
  changePassword(options: ChangePasswordOptions): Promise<AccountSummary> {
    return this.#fresh(() => changePassword(this.#ctx, options));
  }

  /** The password asked again before a secret is revealed or exported (throttled as sign-in). */
  confirmPassword(options: ConfirmPasswordOptions): Promise<void> {
    return this.#fresh(() => confirmPassword(this.#ctx, options));
  }

  account(key: UserKey): AccountSummary {
    return accountSummary(findUser(this.#ctx.store.value, key));
  }

  accounts(): AccountSummary[] {
    return this.#ctx.store.value.users.map(accountSummary);
  }

  /** password-or-key, password-and-key or key-only, under the lock-out guard (settings/signInMode.ts). */
  setSignInMode(options: SetSignInModeOptions): Promise<AccountSummary> {
    return this.#fresh(() => setSignInMode(this.#ctx, options));
  }

  /** On: key-only; off: password-and-key. */
  setWebAuthnOnly(options: SetWebAuthnOnlyOptions): Promise<AccountSummary> {
    return this.#fresh(() => setWebAuthnOnly(this.#ctx, options));
  }

  regenerateRecoveryCode(options: RegenerateRecoveryCodeOptions): Promise<string> {
    return this.#fresh(() => regenerateRecoveryCode(this.#ctx, options));
  }

  // Keys

  listKeys(userId: string): CredentialRecord[] {
    return structuredClone(findUser(this.#ctx.store.value, { id: userId }).credentials);
  }

  startKeyRegistration(options: StartKeyRegistrationOptions): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.#fresh(() => startKeyRegistration(this.#ctx, options));
  }

  finishKeyRegistration(options: FinishKeyRegistrationOptions): Promise<CredentialRecord> {
    return this.#fresh(() => finishKeyRegistration(this.#ctx, options));
  }

  renameKey(options: RenameKeyOptions): Promise<CredentialRecord> {
    return this.#fresh(() => renameKey(this.#ctx, options));
  }

  revokeKey(options: RevokeKeyOptions): Promise<RevokeKeyResult> {
    return this.#fresh(() => revokeKey(this.#ctx, options));
  }

  // Signing in

  signInWithPassword(options: SignInWithPasswordOptions): Promise<PasswordSignInResult> {
    return this.#fresh(() => signInWithPassword(this.#ctx, options));
  }

  startPasswordlessSignIn(options?: StartPasswordlessSignInOptions): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.#fresh(() => startPasswordlessSignIn(this.#ctx, options));
  }

  finishKeySignIn(options: FinishKeySignInOptions): Promise<SignedIn> {
    return this.#fresh(() => finishKeySignIn(this.#ctx, options));
  }

  // Recovery

  startRecovery(options: StartRecoveryOptions): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.#fresh(() => startRecovery(this.#ctx, options));
  }

  finishRecovery(options: FinishRecoveryOptions): Promise<RecoveryResult> {
    return this.#fresh(() => finishRecovery(this.#ctx, options));
  }

  // Settings

  settings(): RpSettingsView {
    return { ...this.#ctx.store.value.settings, effective_user_verification: { ...this.#ctx.userVerification } };
  }

  /**
   * What a user whose key did not verify them can do, for a refusal that comes from the WebAuthn client before the
   * relying party sees a response (a key without a PIN under "required"). `keyAlone`: a sign-in with a key alone.
   */
  userVerificationWayOut(options: { keyAlone: boolean }): string {
    return userVerificationWayOut({ keyAlone: options.keyAlone, effective: this.#ctx.userVerification });
  }

  updateSettings(options: UpdateSettingsOptions): Promise<RpSettingsView> {
    return this.#fresh(() => updateSettings(this.#ctx, options));
  }

  /** Keys that do not work under the current RP ID, or under `rpId` (ask before changing it). */
  orphanedCredentials(options?: FindOrphanedCredentialsOptions): OrphanedCredential[] {
    return findOrphanedCredentials(this.#ctx, options);
  }

  // Ory Kratos

  exportKratosIdentity(options: ExportKratosIdentityOptions): Promise<KratosIdentity> {
    return this.#fresh(() => exportKratosIdentity(this.#ctx, options));
  }

  importKratosIdentity(options: ImportKratosIdentityOptions): Promise<ImportKratosIdentityResult> {
    return this.#fresh(() => importKratosIdentity(this.#ctx, options));
  }
}
