// One person's session: the relying party of a data folder, their keys, the signed-in account, and the lock the vault hangs on.

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { ClientError, WebAuthnClient, type CreationOptions, type RequestOptions } from '../../ctap/index.js';
import {
  RelyingParty,
  RelyingPartyError,
  type AccountSummary,
  type CredentialRecord,
  type KratosIdentity,
  type RecoveryResult,
  type RevokeKeyResult,
  type RpSettingsView,
  type RpWarning,
  type SignInMode,
  type SignedIn,
  type UserVerificationPolicy,
} from '../rp/index.js';
import { deviceKeySource, virtualKeySource, type KeySource } from './keySource.js';
import type { Prompter, SecretPrompt } from './Prompter.js';
import { prompterUi } from './prompterUi.js';
import { ServiceError } from './ServiceError.js';
import { withUserVerificationWayOut } from './userVerificationWayOut.js';
import { chooseSignInPath, onlyAccount, type SignInPath } from './signInPath.js';
import { newFido2Salt } from '../vault/slots/makeSlot.js';
import { VaultLockoutError } from '../vault/errors/VaultLockoutError.js';
import type { OsKeychain } from '../secrets/OsKeychain.js';
import { SessionVault, type SessionVaultOptions, type VaultKeyWay } from './vault/SessionVault.js';
import type { OpenVault } from './vault/OpenVault.js';
import { listVaultBackups, restoreVaultBackup, type VaultBackup } from './vault/vaultBackups.js';
import { accountVaultFile, installClock } from './vault/vaultPlace.js';
import { exportVault, type ExportVaultOptions, type VaultExport } from './vault/exportVault.js';
import { keyOutputOf, withCreationPrf, withSlotPrf } from './vault/vaultKeyOutputs.js';

export interface SessionOptions {
  /** The relying party's folder. @default defaultDataDir() */
  dataDir?: string;
  /** Everything the person is asked goes through it. */
  prompter: Prompter;
  /** The keys: @default the keys connected over USB and NFC (deviceKeySource) */
  keys?: KeySource;
  /** A virtual key's state file (absolute) instead of the connected keys; ignored when `keys` is given. */
  virtualKey?: string;
  /** Cancels every ceremony and prompt of the session (Ctrl+C, a closed window). */
  signal?: AbortSignal;
  /** Variables such as WEBAUTHN_USER_VERIFICATION for the relying party. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told what went wrong on the side (an audit event that could not be written) while the operation itself succeeded. */
  onWarning?: (warning: SessionWarning) => void;
  /** The vault's key derivation (tests give cheap parameters and a lower floor). */
  vault?: SessionVaultOptions;
  /**
   * The OS keychain (the desktop app passes Electron's safeStorage; the command line none): keys without hmac-secret
   * open the vault through it, which is weaker than a key's own secret. Without it such keys get no slot, and a
   * vault that only they open says it opens in the desktop app only.
   */
  osKeychain?: OsKeychain;
}

export interface SignInOptions {
  /** The account; undefined: the only one, or whichever a key alone says. */
  email?: string;
  /** For an account that signs in with the password or a key alone: which. @default 'key' */
  prefer?: 'password' | 'key';
}

export interface RevokeOptions {
  credentialId: string;
  /** The person already agreed (`--yes`); otherwise the prompter asks. */
  confirmed?: boolean;
  /** The person already agreed to turn WebAuthn-only off if this is the account's last key. */
  turnOffWebAuthnOnly?: boolean;
}

export type RevokeOutcome = ({ status: 'revoked' } & RevokeKeyResult) | { status: 'declined' };

/** A relying-party warning, or the vault's: it stays locked (and why), a key cannot unlock it. */
export type SessionWarning = RpWarning | { code: 'vault'; message: string };

/** Called on lock with the account that was signed in: wipe what was unlocked for it. */
export type LockListener = (account: AccountSummary) => void;

/**
 * The composition root of one session: owns a RelyingParty, a KeySource, a WebAuthnClient per ceremony and the
 * Prompter. Several sessions may live in one process (nothing here is module-level); each is closed with close().
 */
export class Session {
  readonly rp: RelyingParty;
  readonly keys: KeySource;
  readonly #prompter: Prompter;
  readonly #signal: AbortSignal | undefined;
  #signedIn: SignedIn | undefined;
  readonly #lockListeners = new Set<LockListener>();
  /** The ceremonies under way, each stopped by its controller (cancel()). */
  readonly #ceremonies = new Set<AbortController>();
  readonly #vault: SessionVault;
  readonly #warn: (message: string) => void;

  private constructor(rp: RelyingParty, keys: KeySource, options: SessionOptions) {
    this.rp = rp;
    this.keys = keys;
    this.#prompter = options.prompter;
    this.#signal = options.signal;
    this.#warn = (message) =>
      options.onWarning
        ? options.onWarning({ code: 'vault', message })
        : process.emitWarning(message, { code: 'LATCHKEY_VAULT' });
    this.#vault = new SessionVault(
      {
        dataDir: rp.dataDir,
        rpId: () => this.rp.settings().rp_id,
        get: (request) => this.get(request),
        password: (email, why) => this.#secret({ kind: 'password', email, reason: why }),
        progress: (step) => this.#prompter.progress?.(step),
        warn: this.#warn,
        ...(options.osKeychain === undefined ? {} : { keychain: options.osKeychain }),
      },
      options.vault,
    );
  }

  /** Opens the data folder (DamagedStoreError when it cannot be loaded). Keys are opened only when a ceremony needs them. */
  static async open(options: SessionOptions): Promise<Session> {
    const keys =
      options.keys ??
      (options.virtualKey === undefined
        ? deviceKeySource({ prompter: options.prompter })
        : virtualKeySource({ statePath: options.virtualKey }));
    try {
      const rp = await RelyingParty.open({
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
      });
      return new Session(rp, keys, options);
    } catch (error) {
      await keys.close();
      throw error;
    }
  }

  /** The signed-in account's sign-in, undefined when signed out or locked. */
  get signedIn(): SignedIn | undefined {
    return this.#signedIn;
  }

  /** The signed-in account, refreshed from the relying party; ServiceError('signed-out') when there is none. */
  account(): AccountSummary {
    const signedIn = this.#requireSignedIn();
    return this.rp.account({ id: signedIn.user.id });
  }

  /** Runs `listener` on every lock until the returned function is called. */
  onLock(listener: LockListener): () => void {
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }

  /** Signs out: the account must sign in again, and whatever hangs on the session (the vault) is told to wipe its keys. */
  lock(): void {
    const signedIn = this.#signedIn;
    this.#signedIn = undefined;
    this.#vault.lock();
    if (signedIn) for (const listener of [...this.#lockListeners]) listener(signedIn.user);
  }

  /**
   * Stops the ceremonies under way (a key waiting for a touch is sent CTAPHID_CANCEL): a window's Cancel button. The
   * session stays usable; the operation that waited fails as cancelled.
   */
  cancel(): void {
    for (const ceremony of [...this.#ceremonies]) ceremony.abort();
  }

  async close(): Promise<void> {
    this.lock();
    await this.#vault.settled();
    await this.keys.close();
  }

  // Ceremonies

  /** navigator.credentials.create() against the session's keys. */
  create(options: CreationOptions): Promise<RegistrationResponseJSON> {
    return this.#ceremony((client, signal) => client.create(options, { signal })).catch((error: unknown) => {
      throw withUserVerificationWayOut(error, this.rp, { keyAlone: false });
    });
  }

  /** navigator.credentials.get() against the session's keys. */
  get(options: RequestOptions): Promise<AuthenticationResponseJSON> {
    return this.#ceremony((client, signal) => client.get(options, { signal }));
  }

  async #ceremony<T>(run: (client: WebAuthnClient, signal: AbortSignal) => Promise<T>): Promise<T> {
    const settings = this.rp.settings();
    const ended = new AbortController();
    this.#ceremonies.add(ended);
    const signal = this.#signal ? AbortSignal.any([this.#signal, ended.signal]) : ended.signal;
    const ui = prompterUi(this.#prompter, ended.signal);
    const client = new WebAuthnClient({
      origin: settings.rp_origin,
      rpId: settings.rp_id,
      ui: ui.ui,
      devices: this.keys.devices,
    });
    try {
      return await this.keys.ceremony(() => run(client, signal));
    } catch (error) {
      throw ui.takeFailure() ?? error;
    } finally {
      this.#ceremonies.delete(ended);
      ended.abort();
    }
  }

  // Accounts and signing in

  /** A new account: the prompter gives its password (kind `new-password`). */
  async signUp(options: { email: string }) {
    const password = await this.#secret({ kind: 'new-password', email: options.email });
    try {
      const result = await this.rp.signUp({ email: options.email, password });
      // The account exists now and its recovery code must reach the person: a vault that cannot be made is a warning
      // (the first sign-in makes one), not a failed sign-up.
      await this.#vault.create(result.user, password, result.recoveryCode).catch((error: unknown) => {
        this.#warn(`the vault could not be created yet (${error instanceof Error ? error.message : String(error)})`);
      });
      return result;
    } finally {
      password.fill(0);
    }
  }

  /**
   * Signs an account in the way its mode says (see chooseSignInPath) and keeps it as the session's account. A key
   * holding none of the account's credentials is ServiceError('key-not-registered').
   */
  async signIn(options: SignInOptions = {}): Promise<SignedIn> {
    await this.rp.refresh();
    const accounts = this.rp.accounts();
    const account = options.email === undefined ? undefined : this.#knownAccount(options.email);
    // An unknown email is asked its password like any other and gets the relying party's answer to a wrong one.
    const path: SignInPath =
      options.email !== undefined && account === undefined
        ? { kind: 'password-then-key', email: options.email }
        : chooseSignInPath({
            accounts,
            ...(account === undefined ? {} : { account }),
            ...(options.prefer === undefined ? {} : { prefer: options.prefer }),
            dataDir: this.rp.dataDir,
          });
    // The vault's salts ride on the sign-in assertion when the account is known before the key answers.
    const known = path.email === undefined ? undefined : this.#knownAccount(path.email);
    const slots = known ? await this.#vault.slotRequests(known.id) : [];
    let signedIn: SignedIn;
    if (path.kind === 'key') {
      const request = await this.rp.startPasswordlessSignIn(path.email === undefined ? {} : { email: path.email });
      const response = await this.#assertion(withSlotPrf(request, slots), path.email, accounts.length, {
        keyAlone: true,
      });
      signedIn = await this.rp.finishKeySignIn({ response });
      this.#signedInAs(signedIn);
      await this.#vault.unlockAfterSignIn({ user: signedIn.user, response });
      return signedIn;
    }
    const password = await this.#secret({ kind: 'password', email: path.email });
    try {
      const step = await this.rp.signInWithPassword({ email: path.email, password });
      let response: AuthenticationResponseJSON | undefined;
      if (step.status === 'signed-in') signedIn = step.signedIn;
      else {
        response = await this.#assertion(withSlotPrf(step.options, slots), path.email, accounts.length, {
          keyAlone: false,
        });
        signedIn = await this.rp.finishKeySignIn({ response });
      }
      this.#signedInAs(signedIn);
      await this.#vault.unlockAfterSignIn({
        user: signedIn.user,
        password,
        ...(response === undefined ? {} : { response }),
      });
      return signedIn;
    } finally {
      password.fill(0);
    }
  }

  #signedInAs(signedIn: SignedIn): void {
    this.lock();
    this.#signedIn = signedIn;
  }

  /** The account of `email`, or undefined when there is none: that is not said before the password is asked. */
  #knownAccount(email: string): AccountSummary | undefined {
    try {
      return this.rp.account({ email });
    } catch (error) {
      if (error instanceof RelyingPartyError && error.reason === 'user-unknown') return undefined;
      throw error;
    }
  }

  /** The key's answer; a key that holds none of the account's credentials is said to be so, with whose. */
  async #assertion(
    options: RequestOptions,
    email: string | undefined,
    accounts: number,
    how: { keyAlone: boolean },
  ): Promise<AuthenticationResponseJSON> {
    try {
      return await this.get(options);
    } catch (error) {
      if (!(error instanceof ClientError) || error.reason !== 'no-credentials')
        throw withUserVerificationWayOut(error, this.rp, how);
      const whose =
        email ??
        (accounts > 1 ? `any of the ${accounts} accounts here that sign in with a key alone` : 'any account here');
      throw new ServiceError('key-not-registered', `This key is not registered to ${whose}.`, {
        cause: error,
        details: { ...(email === undefined ? {} : { email }), accounts, dataDir: this.rp.dataDir },
      });
    }
  }

  /**
   * For lost keys: the password and the recovery code (from the prompter, in that order, as 2FAuth's recovery form
   * asks: the code alone must not take an account over) and a new key replace every other key, and the account is
   * signed in. `email` may be left out when the data folder has one account.
   */
  async recover(options: { email?: string; displayName?: string } = {}): Promise<RecoveryResult> {
    await this.rp.refresh();
    const accounts = this.rp.accounts();
    const email = options.email ?? onlyAccount({ accounts, dataDir: this.rp.dataDir })?.email;
    if (email === undefined) {
      throw new ServiceError(
        'account-ambiguous',
        `There are ${accounts.length} accounts in ${this.rp.dataDir}: say which one to recover.`,
        {
          details: { accounts: accounts.length, dataDir: this.rp.dataDir },
        },
      );
    }
    const password = await this.#secret({ kind: 'password', email });
    try {
      let creation;
      const recoveryCode = await this.#secret({ kind: 'recovery-code', email });
      try {
        creation = await this.rp.startRecovery({ email, password, recoveryCode });
        // The relying party said yes; the vault's recovery slot needs the same two factors.
        await this.#vault.recover({ account: this.rp.account({ email }), password, recoveryCode });
      } finally {
        recoveryCode.fill(0);
      }
      this.#prompter.progress?.('recovery-code-accepted');
      const salt = newFido2Salt();
      const response = await this.create(withCreationPrf(creation, salt));
      const result = await this.rp.finishRecovery({
        response,
        ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
      });
      this.#signedIn = result.signedIn;
      const creationOutput = keyOutputOf(response);
      try {
        await this.#vault.afterRecovery({
          account: result.signedIn.user,
          password,
          newRecoveryCode: result.recoveryCode,
          credentialId: Buffer.from(response.rawId, 'base64url'),
          hmacSecret: result.signedIn.key?.hmac_secret ?? false,
          salt,
          ...(creationOutput === undefined ? {} : { creation: creationOutput }),
          policy: creation.authenticatorSelection?.userVerification ?? 'preferred',
        });
      } catch (error) {
        this.#warn(`the vault could not take the new key and recovery code (${describe(error)})`);
      } finally {
        creationOutput?.output.fill(0);
      }
      return result;
    } finally {
      password.fill(0);
    }
  }

  // The signed-in account's keys and settings

  listKeys(): CredentialRecord[] {
    return this.rp.listKeys(this.#requireSignedIn().user.id);
  }

  /**
   * How each of the signed-in account's keys that holds a slot in its vault opens it (its hmac-secret, or the OS
   * keychain), by credential id (base64url); a key not in the map does not open it.
   */
  vaultKeyWays(): Promise<Map<string, VaultKeyWay>> {
    return this.#vault.keyWays(this.#requireSignedIn().user.id);
  }

  /** Registers the key the person touches next. */
  async addKey(options: { displayName?: string } = {}): Promise<CredentialRecord> {
    const { user } = this.#requireSignedIn();
    const creation = await this.rp.startKeyRegistration({ userId: user.id });
    this.#prompter.progress?.('new-key-wanted');
    const salt = newFido2Salt();
    const response = await this.create(this.#vault.open ? withCreationPrf(creation, salt) : creation);
    const record = await this.rp.finishKeyRegistration({
      response,
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
    });
    if (!this.#vault.open) {
      this.#warn('the vault is locked, so the new key got no slot in it; sign in again to unlock it, then add the key');
      return record;
    }
    const creationOutput = keyOutputOf(response);
    try {
      await this.#vault.addKeySlot({
        account: this.account(),
        credentialId: Buffer.from(response.rawId, 'base64url'),
        hmacSecret: record.hmac_secret,
        salt,
        ...(creationOutput === undefined ? {} : { creation: creationOutput }),
        policy: creation.authenticatorSelection?.userVerification ?? 'preferred',
      });
    } catch (error) {
      // The key is registered either way; what failed is its slot, said in one sentence.
      this.#warn(`"${record.display_name}" is registered but cannot unlock the vault (${describe(error)})`);
    } finally {
      creationOutput?.output.fill(0);
    }
    return record;
  }

  renameKey(options: { credentialId: string; displayName: string }): Promise<CredentialRecord> {
    return this.rp.renameKey({ userId: this.#requireSignedIn().user.id, ...options });
  }

  /**
   * Revokes a key for good, after the person confirms (unless `confirmed`). The last key of a WebAuthn-only account
   * goes only with WebAuthn-only: unless already agreed, the prompter is asked; a no (or `confirmed` without the
   * agreement, as a script gives) leaves the relying party's lock-out refusal.
   */
  async revokeKey(options: RevokeOptions): Promise<RevokeOutcome> {
    const { user } = this.#requireSignedIn();
    const key = this.rp.listKeys(user.id).find((k) => k.id === options.credentialId);
    const signal = this.#signal ?? new AbortController().signal;
    if (options.confirmed !== true && key) {
      const question = `Revoke "${key.display_name}" (${key.id}) for good? It can never sign in to ${user.email} again.`;
      if (!(await this.#prompter.confirm({ question, signal }))) return { status: 'declined' };
    }
    const credentialId = Buffer.from(options.credentialId, 'base64url');
    const revoke = async (turnOffWebAuthnOnly: boolean): Promise<RevokeOutcome> => {
      const account = this.account();
      const request = { userId: user.id, credentialId: options.credentialId, confirm: true, turnOffWebAuthnOnly };
      // The relying party's guard first, on a copy; then the vault's, which may refuse what it allows (the last key
      // that unlocks a key-only vault, beside keys without hmac-secret); then the change itself.
      const checked = await this.rp.revokeKey({ ...request, checkOnly: true });
      const modeAfter = checked.webAuthnOnlyTurnedOff ? 'password-and-key' : account.sign_in_mode;
      const prepared = await this.#vault.prepareKeysGone(account, [credentialId], modeAfter);
      const result = await this.rp.revokeKey(request);
      if (prepared) await this.#vault.save(prepared.next, prepared.forget);
      return { status: 'revoked', ...result };
    };
    const turnOff = options.turnOffWebAuthnOnly === true;
    try {
      return await revoke(turnOff);
    } catch (error) {
      const lockout =
        (error instanceof RelyingPartyError && error.reason === 'lockout') || error instanceof VaultLockoutError;
      if (!lockout || turnOff || options.confirmed === true || this.account().sign_in_mode !== 'key-only') throw error;
      const last = error instanceof VaultLockoutError ? 'the last key that unlocks the vault' : 'the last key';
      const question = `"${key?.display_name ?? options.credentialId}" is ${last} of ${user.email}, which signs in with a key alone. Turn WebAuthn-only off (sign in with the password, then a key) and revoke it?`;
      if (!(await this.#prompter.confirm({ question, signal }))) throw error;
      return revoke(true);
    }
  }

  /**
   * Whether revoking the key would pass the relying party's lock-out guard, asked before anything changes (a window
   * shows the reason first). The vault's own guard is checked when the revocation runs.
   */
  async checkRevoke(credentialId: string): Promise<{ allowed: true } | { allowed: false; reason: string }> {
    const { user } = this.#requireSignedIn();
    return refusalOf(() => this.rp.revokeKey({ userId: user.id, credentialId, confirm: true, checkOnly: true }));
  }

  /** As checkRevoke, for a change of sign-in mode. */
  async checkSignInMode(mode: SignInMode): Promise<{ allowed: true } | { allowed: false; reason: string }> {
    const { user } = this.#requireSignedIn();
    return refusalOf(() => this.rp.setSignInMode({ userId: user.id, mode, checkOnly: true }));
  }

  /** On: key-only; off: password-and-key (as the relying party's setWebAuthnOnly). */
  setWebAuthnOnly(enabled: boolean): Promise<AccountSummary> {
    return this.setSignInMode(enabled ? 'key-only' : 'password-and-key');
  }

  /**
   * The signed-in account's way in (rp/settings/signInMode.ts), switched under both lock-out guards: the relying
   * party's checked first on a copy (nobody touches a key for a change it refuses), then the vault's slots reshaped in
   * memory (each key touched when its slot wraps another share, the password asked when its slot comes back), then
   * the relying party changes, then the vault is written.
   */
  async setSignInMode(mode: SignInMode): Promise<AccountSummary> {
    const { user } = this.#requireSignedIn();
    await this.rp.setSignInMode({ userId: user.id, mode, checkOnly: true });
    const prepared = await this.#vault.prepareMode(this.account(), mode);
    const account = await this.rp.setSignInMode({ userId: user.id, mode });
    if (prepared) await this.#vault.save(prepared.next);
    return account;
  }

  /**
   * A new password (`latchkey account password`): the current one, checked and throttled as sign-in checks it, and
   * the new one; never a key, never the recovery code. The vault's password and recovery slots are rewrapped.
   */
  async changePassword(): Promise<AccountSummary> {
    const { user } = this.#requireSignedIn();
    const current = await this.#secret({ kind: 'password', email: user.email });
    try {
      const next = await this.#secret({ kind: 'new-password', email: user.email });
      try {
        if (Buffer.from(next).equals(Buffer.from(current)))
          throw new ServiceError('cancelled', 'The new password is the current one; nothing was changed.');
        const prepared = await this.#vault.preparePassword(next);
        const account = await this.rp.changePassword({ userId: user.id, currentPassword: current, newPassword: next });
        if (prepared) await this.#vault.save(prepared.next);
        return account;
      } finally {
        next.fill(0);
      }
    } finally {
      current.fill(0);
    }
  }

  /**
   * A new recovery code for the signed-in account, after its password (the old code stops working): shown once by the
   * caller. The vault's recovery slot is remade for it; should that fail, the account's code still changed and the
   * warning says the vault keeps the old one.
   */
  async regenerateRecoveryCode(): Promise<string> {
    const { user } = this.#requireSignedIn();
    const password = await this.#secret({
      kind: 'password',
      email: user.email,
      reason: 'A new recovery code asks the password again.',
    });
    try {
      await this.rp.confirmPassword({ userId: user.id, password });
      const code = await this.rp.regenerateRecoveryCode({ userId: user.id });
      try {
        const prepared = await this.#vault.prepareRecoveryCode({ recoveryCode: code, password });
        if (prepared) await this.#vault.save(prepared.next);
      } catch (error) {
        this.#warn(`the vault still opens with the previous recovery code only (${describe(error)})`);
      }
      return code;
    } finally {
      password.fill(0);
    }
  }

  /** The data folder's policy: it needs a signed-in account whenever the folder has one. */
  setUserVerification(policy: UserVerificationPolicy): Promise<RpSettingsView> {
    if (this.rp.accounts().length > 0) this.#requireSignedIn();
    return this.rp.updateSettings({ userVerification: policy });
  }

  exportKratos(): Promise<KratosIdentity> {
    return this.rp.exportKratosIdentity({ userId: this.#requireSignedIn().user.id });
  }

  /**
   * The signed-in account's open vault; ServiceError('vault-locked') with the reason when the sign-in could not open it
   * (a damaged file, a key that cannot unlock it).
   */
  async vault(): Promise<OpenVault> {
    this.#requireSignedIn();
    // Another writer (the app beside the CLI) may have saved since sign-in: start from its file.
    await this.#vault.refresh();
    const open = this.#vault.open;
    if (!open)
      throw new ServiceError(
        'vault-locked',
        `The vault is locked: ${this.#vault.lockedReason?.message ?? 'sign in again to open it.'}`,
        { cause: this.#vault.lockedReason?.cause },
      );
    return open;
  }

  /**
   * The vault's state as held now, without looking at the file (vault() does): a new object after every change, so
   * comparing two tells whether anything changed between them. Undefined while no vault is open.
   */
  get vaultState(): object | undefined {
    const open = this.#vault.open;
    return open === undefined || open.locked ? undefined : open.current;
  }

  /**
   * Asks again who is there before a secret leaves the vault (a reveal, an export), as the account signs in: the
   * password where it has one, else a touch of one of its keys (with its PIN), verified by the relying party.
   */
  async reauthenticate(): Promise<void> {
    const { user } = this.#requireSignedIn();
    const account = this.account();
    if (account.sign_in_mode !== 'key-only') {
      const password = await this.#secret({
        kind: 'password',
        email: user.email,
        reason: 'Showing or exporting a secret asks the password again.',
      });
      try {
        await this.rp.confirmPassword({ userId: user.id, password });
      } finally {
        password.fill(0);
      }
      return;
    }
    const request = await this.rp.startPasswordlessSignIn({ email: user.email });
    await this.rp.finishKeySignIn({
      response: await this.#assertion(request, user.email, 1, { keyAlone: true }),
    });
  }

  /**
   * An export of the signed-in account's vault (exportVault.ts), after asking again who is there: the one way secrets
   * leave the vault in bulk. The caller writes the files (mode 0600) and says when they are not encrypted.
   */
  async exportVault(options: Omit<ExportVaultOptions, 'params' | 'clock'>): Promise<VaultExport> {
    const vault = await this.vault();
    if (vault.entries().length === 0) throw new RangeError('the vault has no entries: there is nothing to export');
    await this.reauthenticate();
    return exportVault(vault.forExport(), {
      ...options,
      params: await this.#vault.kdfParams(),
      clock: await installClock(this.rp.dataDir),
    });
  }

  /** The backups of the signed-in account's vault, newest first (vaultBackups.ts). */
  vaultBackups(): Promise<VaultBackup[]> {
    return listVaultBackups(accountVaultFile(this.rp.dataDir, this.#requireSignedIn().user.id));
  }

  /**
   * Puts a backup of the signed-in account's vault back in place (the file in place becomes the newest backup). The
   * vault is locked: the next sign-in opens the restored file.
   */
  async restoreVaultBackup(generation: number): Promise<VaultBackup> {
    const { user } = this.#requireSignedIn();
    this.#vault.lock();
    // The journal's last changes go into the file first, so that it becomes the newest backup with them.
    await this.#vault.settled();
    return restoreVaultBackup(accountVaultFile(this.rp.dataDir, user.id), generation);
  }

  #requireSignedIn(): SignedIn {
    if (!this.#signedIn) throw new ServiceError('signed-out', 'Sign in first: this needs a signed-in account.');
    return this.#signedIn;
  }

  /** A secret from the prompter, as bytes the caller zeroes; cancelling ends the operation. */
  async #secret(prompt: Omit<SecretPrompt, 'signal'>): Promise<Uint8Array> {
    const secret = await this.#prompter.secret({ ...prompt, signal: this.#signal ?? new AbortController().signal });
    if (secret === undefined || secret.length === 0) {
      secret?.fill(0);
      throw new ServiceError('cancelled', `No ${prompt.kind.replace('-', ' ')} was given.`);
    }
    return secret;
  }
}

/** A relying-party refusal as an answer; any other failure is thrown on. */
async function refusalOf(
  check: () => Promise<unknown>,
): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  try {
    await check();
    return { allowed: true };
  } catch (error) {
    if (error instanceof RelyingPartyError) return { allowed: false, reason: error.message };
    throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
