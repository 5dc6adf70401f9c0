// The signed-in account's vault through its life: created at sign-up, opened by sign-in, its slots kept in step with the
// account's keys, mode, recovery code and password (docs/vault-format.md, "The vault follows the account").

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { RequestOptions } from '../../../ctap/index.js';
import type { AccountSummary, SignInMode } from '../../rp/index.js';
import { normalizeRecoveryCode } from '../../rp/recovery/recoveryCode.js';
import type { OsKeychain } from '../../secrets/OsKeychain.js';
import { zeroize } from '../../secrets/zeroize.js';
import type { HybridLogicalClock } from '../../vault/clock/HybridLogicalClock.js';
import { calibrateArgon2 } from '../../vault/crypto/calibrateArgon2.js';
import { MIN_ARGON2_PARAMS, type Argon2Params } from '../../vault/crypto/argon2id.js';
import { VaultUnlockError } from '../../vault/errors/VaultUnlockError.js';
import { bytes } from '../../vault/file/encodedBytes.js';
import { writeVaultFile } from '../../vault/file/vaultFileIo.js';
import type { VaultMode } from '../../vault/file/vaultFileSchema.js';
import { parseVaultFile, type VaultBody } from '../../vault/file/vaultText.js';
import { addSlot } from '../../vault/slots/addSlot.js';
import { changeVaultPassword } from '../../vault/slots/changeVaultPassword.js';
import { changeVaultRecoveryCode } from '../../vault/slots/changeVaultRecoveryCode.js';
import { createVault } from '../../vault/slots/createVault.js';
import { lockVault } from '../../vault/slots/lockVault.js';
import { makeSlot, newFido2Salt, type SlotSpec } from '../../vault/slots/makeSlot.js';
import { reshape } from '../../vault/slots/reshape.js';
import type { Fido2Slot, OsKeychainSlot, Slot } from '../../vault/slots/slotSchema.js';
import type { KeyOutput } from '../../vault/slots/slotKeys.js';
import { keyRequests, unlock, type UnlockedVault, type UnlockFactors } from '../../vault/slots/unlock.js';
import { VaultDamagedError } from '../../vault/errors/VaultDamagedError.js';
import { vaultBackupFiles } from './vaultBackups.js';
import { withSlots } from '../../vault/slots/withSlots.js';
import { slotSetMacMatches } from '../../vault/slots/slotSetMac.js';
import { writeFileAtomic } from '../../store/writeFileAtomic.js';
import { OpenVault } from './OpenVault.js';
import { takeJournal } from './vaultJournalFile.js';
import { vaultFileWriters, vaultVersion } from './vaultFileWriters.js';
import { VaultChangedError } from './VaultChangedError.js';
import type { ProgressStep } from '../Prompter.js';
import { forgetKeysInBackups } from './forgetKeysInBackups.js';
import {
  accountJournalFile,
  accountOpenCacheFile,
  accountVaultFile,
  installClock,
  readOpenCacheFile,
} from './vaultPlace.js';
import { keyOutputOf, slotRequestOptions, type SlotRequest } from './vaultKeyOutputs.js';
import { vaultModeFor } from './vaultModeFor.js';

/** What the vault needs from the session around it: the keys, the person, and where to say things. */
export interface SessionVaultContext {
  dataDir: string;
  rpId(): string;
  /** An assertion from the session's keys (the prompter shows the touch). */
  get(options: RequestOptions): Promise<AuthenticationResponseJSON>;
  /** The account's password asked again, `why` said first; bytes the vault zeroes. */
  password(email: string, why: string): Promise<Uint8Array>;
  progress(step: ProgressStep): void;
  warn(message: string): void;
  /**
   * The OS keychain (the desktop app's), through which keys without hmac-secret open the vault; absent in the command
   * line, where such a key's slot neither opens nor is made.
   */
  keychain?: OsKeychain;
}

export interface SessionVaultOptions {
  /** Argon2id parameters for new password and recovery slots; @default calibrated here to `kdfTargetMs` once */
  kdf?: Argon2Params;
  /** @default 250 */
  kdfTargetMs?: number;
  /** The weakest Argon2id a slot may hold (tests lower it). @default MIN_ARGON2_PARAMS */
  minArgon2?: Argon2Params;
  /** How long journaled changes wait to be written into the vault file (OpenVault's foldAfterMs). @default 1000 */
  journalFoldMs?: number;
}

/** The open vault of the signed-in account: its entries and its slots, held by one OpenVault that does every write. */
interface OpenState {
  userId: string;
  file: string;
  /** The vault's journal (accountJournalFile): part of what `seen` versions, since changes are appended there. */
  journal: string;
  clock: HybridLogicalClock;
  entries: OpenVault;
  /** The unlocked vault as last written (entries.current). */
  readonly vault: UnlockedVault;
  /** The file and journal as this session last read or wrote them: another writer (the app beside the CLI) changes them. */
  seen?: string;
}

/** A slot change worked out in memory before the relying party changes, written after it did. */
export interface PreparedVaultChange {
  next: UnlockedVault;
  /** Credential ids whose slots go: the backups forget them too. */
  forget: Uint8Array[];
}

/** A key just registered (or registered by recovery), for its vault slot. */
export interface NewKeySlot {
  account: AccountSummary;
  credentialId: Uint8Array;
  /** The relying party saw hmac-secret at registration. */
  hmacSecret: boolean;
  /** The salt its slot will use: the prf input asked at creation. */
  salt: Uint8Array;
  /** The key's output at creation (prf at create, CTAP 2.2's hmac-secret-mc), when it gave one. */
  creation?: KeyOutput;
  /** The UV a password-and-key sign-in asks for (the policy); a key alone always verifies. */
  policy: 'required' | 'preferred' | 'discouraged';
}

/** How a registered key opens the vault: its hmac-secret, the OS keychain (weaker), or not at all. */
export type VaultKeyWay = 'hmac-secret' | 'os-keychain';

/** Why the vault stays locked after a sign-in (damaged file, a key that cannot unlock), said by vault(). */
export type VaultLockedReason = { message: string; cause?: unknown };

export class SessionVault {
  readonly #ctx: SessionVaultContext;
  readonly #options: SessionVaultOptions;
  #open: OpenState | undefined;
  #locked: VaultLockedReason | undefined;
  #calibrated: Argon2Params | undefined;
  /** The writes of the vault last locked, its journal's fold among them. */
  #closing: Promise<void> = Promise.resolve();

  constructor(ctx: SessionVaultContext, options: SessionVaultOptions = {}) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** The open vault, or undefined with the reason it is locked (`lockedReason`). */
  get open(): OpenVault | undefined {
    return this.#open?.entries;
  }

  get lockedReason(): VaultLockedReason | undefined {
    return this.#locked;
  }

  /** Wipes the master key; the journal's changes are then folded into the file (settled() waits for it). */
  lock(): void {
    const open = this.#open;
    if (open) {
      open.entries.lock();
      this.#closing = open.entries.settled();
    }
    this.#open = undefined;
    this.#locked = undefined;
  }

  /** Waits for every write of the vault open or last locked, the journal folded into the file (a quit, a restore). */
  async settled(): Promise<void> {
    await this.#open?.entries.settled();
    await this.#closing;
  }

  /**
   * Puts a changed vault in place: written first, then kept (the old master key is wiped when the key changed). Refused
   * when another writer changed the file since this session read it (the change was worked out on an older copy and
   * would undo theirs): refresh() and do it again.
   */
  async save(next: UnlockedVault, forget: readonly Uint8Array[] = []): Promise<void> {
    const open = this.#requireOpen();
    await open.entries.updateVault(() => next);
    if (forget.length > 0) await forgetKeysInBackups(open.file, next, forget);
  }

  /**
   * Takes in what another writer (the desktop app beside the CLI, a second window) saved since this session read the
   * file. Every change is saved as it is made, so the newer file holds all of this session's changes too; it is adopted
   * when the master key this session holds authenticates its slot set. A file under another key epoch locks the vault.
   */
  async refresh(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const version = await vaultVersion(open.file, open.journal);
    if (version === open.seen) return;
    const body = await this.#read(open.userId);
    const header = body ? { vault: body.vault, epoch: body.epoch } : undefined;
    if (
      !body ||
      !header ||
      body.vault !== open.vault.body.vault ||
      body.epoch !== open.vault.body.epoch ||
      !slotSetMacMatches(open.vault.master, header, body.mode, body.slots, bytes(body.slotsMac))
    ) {
      this.lock();
      this.#locked = { message: 'the vault file was replaced by another writer: sign in again to open it' };
      throw new VaultChangedError(this.#locked.message);
    }
    // The other writer folded this session's journaled changes into its file (its write needed the journal it read),
    // or appended its own to the journal: applied here, and folded in turn.
    const taken = await takeJournal({ master: open.vault.master, body }, open.journal);
    if (taken.warning) this.#ctx.warn(taken.warning);
    await open.entries.reload(taken.vault, { journaled: taken.present });
    open.seen = version;
  }

  // Sign-up and sign-in

  /** A new account's vault: the password slot and the recovery slot (code and password), no entries. Left locked. */
  async create(user: AccountSummary, password: Uint8Array, recoveryCode: string): Promise<void> {
    const code = Buffer.from(normalizeRecoveryCode(recoveryCode), 'utf8');
    try {
      const params = await this.#kdf();
      const clock = await installClock(this.#ctx.dataDir);
      const vault = await createVault({
        mode: vaultModeFor(user.sign_in_mode, 0),
        slots: [
          { type: 'password', password, params },
          { type: 'recovery', recoveryCode: code, password, params },
        ],
        clock,
      });
      const file = accountVaultFile(this.#ctx.dataDir, user.id);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeVaultFile(file, vault.body);
      lockVault(vault);
    } finally {
      zeroize(code);
    }
  }

  /** The salts a sign-in assertion asks the account's keys for (withSlotPrf); none when there is no readable vault. */
  async slotRequests(userId: string): Promise<SlotRequest[]> {
    const body = await this.#read(userId).catch(() => undefined);
    return body ? keyRequests(body) : [];
  }

  /** How each key with a slot opens the account's vault, by credential id (base64url); empty without a readable vault. */
  async keyWays(userId: string): Promise<Map<string, VaultKeyWay>> {
    // The open vault's slots when it is this account's: reading and checking the file again on every key list cost a
    // quarter of a second for a vault of 10,000 entries.
    const open = this.#open?.userId === userId ? this.#open.vault.body : undefined;
    const body = open ?? (await this.#read(userId).catch(() => undefined));
    const ways = new Map<string, VaultKeyWay>();
    for (const [, slot] of body ? keySlotsOf(body) : []) {
      const id = bytes(slot.credentialId).toString('base64url');
      if (slot.type === 'fido2-hmac-secret') ways.set(id, 'hmac-secret');
      else if (!ways.has(id)) ways.set(id, 'os-keychain');
    }
    return ways;
  }

  /**
   * Opens the vault with what the sign-in used: the password, the key's output, or both. A key asked with another UV
   * state than its slot was made with (a PIN set since, a policy changed) is asked once more the slot's way, and the
   * slot is remade for the new state (healed). A key with an os-keychain slot opens it through the keychain: the
   * relying party verified its assertion, which is all such a slot asks of the key. A vault that cannot open leaves
   * the session signed in with the vault locked and the reason kept: signing in must not depend on the vault.
   */
  async unlockAfterSignIn(input: {
    user: AccountSummary;
    password?: Uint8Array;
    /** The sign-in assertion, after the relying party verified it (an os-keychain slot trusts that check alone). */
    response?: AuthenticationResponseJSON;
  }): Promise<void> {
    this.lock();
    const { user, password } = input;
    const output = input.response ? keyOutputOf(input.response) : undefined;
    const credentialId = input.response ? Buffer.from(input.response.rawId, 'base64url') : undefined;
    try {
      const file = accountVaultFile(this.#ctx.dataDir, user.id);
      const seen = await vaultVersion(file, accountJournalFile(this.#ctx.dataDir, user.id));
      const body = await this.#read(user.id);
      const clock = await installClock(this.#ctx.dataDir);
      if (!body) {
        const first = await this.#firstVault(user, password, credentialId, clock);
        this.#open = await this.#openState(user.id, file, clock, first, undefined);
        await this.save(first);
        return;
      }
      const factors = this.#signInFactors(password, output, credentialId);
      let vault: UnlockedVault;
      try {
        vault = await unlock(body, factors, this.#unlockOptions());
      } catch (error) {
        const slot = credentialId ? slotOf(body, credentialId) : undefined;
        if (!(error instanceof VaultUnlockError) || error.factor !== 'security key' || !slot) throw error;
        // The slot exists but the sign-in's output did not open it: no output (no allow list to name the salt
        // before the key was known) or another UV state. One more touch, asked the way the slot was made.
        this.#ctx.progress('vault-key-touch');
        const again = keyOutputOf(await this.#ctx.get(slotRequestOptions(slotRequestOf(slot[1]), this.#ctx.rpId())));
        if (!again) throw error;
        try {
          vault = await unlock(body, { ...factors, keys: [again] }, this.#unlockOptions());
        } finally {
          zeroize(again.output);
        }
        if (output && output.uv !== slot[1].uv) vault = await healSlot(vault, slot, output, clock);
      }
      const taken = await this.#takeJournal(user.id, vault);
      this.#open = await this.#openState(user.id, file, clock, taken.vault, seen);
      // A healed slot, or the changes a journal held (left by a crash, or by the other writer): into the file now.
      if (taken.vault.body !== body || taken.present) await writeAfterOpen(this.#open.entries);
    } catch (error) {
      this.lock();
      let message = error instanceof Error ? error.message : String(error);
      if (error instanceof VaultDamagedError)
        message += await this.#backupHint(user.id, this.#signInFactors(password, output, credentialId));
      this.#locked = { message, cause: error };
      this.#ctx.warn(`the vault stays locked: ${message}`);
    } finally {
      if (output) zeroize(output.output);
    }
  }

  /**
   * An account from before vaults (or whose file was deleted) gets an empty one from the factors at hand: the password,
   * or the key that signed in alone, asked once more for a fresh salt (there was no slot to name one before).
   */
  async #firstVault(
    user: AccountSummary,
    password: Uint8Array | undefined,
    credentialId: Uint8Array | undefined,
    clock: HybridLogicalClock,
  ): Promise<UnlockedVault> {
    const slots: SlotSpec[] = [];
    let output: KeyOutput | undefined;
    try {
      if (password && user.sign_in_mode !== 'key-only')
        slots.push({ type: 'password', password, params: await this.#kdf() });
      else if (credentialId) {
        const salt = newFido2Salt();
        this.#ctx.progress('vault-key-touch');
        output = keyOutputOf(
          await this.#ctx.get(slotRequestOptions({ credentialId, salt, uv: true }, this.#ctx.rpId())),
        );
        if (output) slots.push({ type: 'fido2-hmac-secret', key: output, salt });
        else if ((await this.#ctx.keychain?.available())?.ok)
          slots.push({ type: 'os-keychain', credentialId, keychain: this.#ctx.keychain });
      }
      const keys = slots.some((slot) => slot.type !== 'password') ? 1 : 0;
      const mode = password ? vaultModeFor(user.sign_in_mode, 0) : vaultModeFor(user.sign_in_mode, keys);
      this.#ctx.warn(
        'this account had no vault, so an empty one was made; it has no recovery slot, so the recovery code does not open it',
      );
      return await createVault({ mode, slots, clock });
    } finally {
      if (output) zeroize(output.output);
    }
  }

  // Keys

  /**
   * A newly registered key gets its slot. Its output comes from the registration when the key gave one at creation with
   * the UV state sign-in will use (prf at create, CTAP 2.2's hmac-secret-mc), else from one more touch, said as such.
   * The first key of a password-and-key account turns the vault to that mode, which rewraps the password slot: the
   * password is asked again. A key whose output cannot be had leaves the registration standing, with a warning.
   */
  async addKeySlot(input: NewKeySlot): Promise<void> {
    await this.refresh();
    this.#requireOpen();
    if (!input.hmacSecret) {
      const why = await this.#keychainSlotRefusal();
      if (why) {
        this.#ctx.warn(`this key has no hmac-secret, so it signs in but cannot unlock the vault${why}`);
        return;
      }
      await this.#addSlot(input, {
        type: 'os-keychain',
        credentialId: input.credentialId,
        keychain: this.#ctx.keychain,
      });
      this.#ctx.warn(KEYCHAIN_WARNING);
      return;
    }
    const output = await this.#newKeyOutput(input);
    if (!output) {
      this.#ctx.warn('the key gave no hmac-secret output, so it cannot unlock the vault');
      return;
    }
    try {
      await this.#addSlot(input, { type: 'fido2-hmac-secret', key: output, salt: input.salt }, [output]);
    } finally {
      zeroize(output.output);
    }
  }

  /** The new key's slot added and saved; password-and-key's first key reshapes the vault to that mode. */
  async #addSlot(input: NewKeySlot, spec: SlotSpec, outputs: readonly KeyOutput[] = []): Promise<void> {
    const { vault, clock } = this.#requireOpen();
    const target = vaultModeFor(input.account.sign_in_mode, keySlotsOf(vault.body).length + 1);
    // The new slot in the vault's old shape, then (password-and-key's first key) every slot to the new one.
    const added = (await addSlot(vault, spec, clock)).vault;
    const next =
      target === vault.body.mode
        ? added
        : await this.#reshapeWithPassword(added, target, input.account.email, outputs, 'add this key');
    await this.save(next);
  }

  /**
   * Why a key without hmac-secret gets no os-keychain slot here, as the end of a sentence, or undefined when it can
   * have one (there is a keychain and it can be used now).
   */
  async #keychainSlotRefusal(): Promise<string | undefined> {
    const keychain = this.#ctx.keychain;
    if (!keychain) return ' (registered in the desktop app, it would open it through the OS keychain)';
    const availability = await keychain.available();
    return availability.ok ? undefined : ` (the OS keychain cannot be used: ${availability.reason})`;
  }

  /**
   * The vault after the keys `credentialIds` are revoked and the account is in `mode`: their slots become tombstones,
   * and the slots take the shape of the mode they leave (the password is asked when its slot must be rewritten).
   * Refused by the lock-out guard when nothing would open it. Nothing is written: save(prepared) after the relying party
   * agreed.
   */
  async prepareKeysGone(
    account: AccountSummary,
    credentialIds: readonly Uint8Array[],
    mode: SignInMode,
  ): Promise<PreparedVaultChange | undefined> {
    await this.refresh();
    const open = this.#open;
    if (!open) return undefined;
    let next = open.vault;
    const forget = [...credentialIds];
    for (const id of credentialIds) {
      for (const [slotId, slot] of keySlotsOf(next.body).filter(([, s]) =>
        bytes(s.credentialId).equals(Buffer.from(id)),
      )) {
        const slots: Record<string, Slot> = {
          ...next.body.slots,
          [slotId]: { type: slot.type, hlc: open.clock.tick(), deleted: true },
        };
        // The mode may not hold without it (key-only's last key slot): the reshape below decides, then the guard.
        next = { master: next.master, body: { ...next.body, slots } };
      }
    }
    const target = vaultModeFor(mode, keySlotsOf(next.body).length);
    if (target !== next.body.mode || needsPassword(next.body, target))
      next = await this.#reshapeWithPassword(next, target, account.email, [], 'let the vault open without the key');
    else next = withSlots(next, target, next.body.slots);
    return { next, forget };
  }

  /**
   * The vault in the shape of another sign-in mode: to or from password-and-key every key slot wraps another share, so
   * each key with hmac-secret is touched once (an os-keychain slot is sealed anew by the keychain, no touch); a
   * password slot brought back (leaving key-only) or rewrapped asks the password.
   */
  async prepareMode(account: AccountSummary, mode: SignInMode): Promise<PreparedVaultChange | undefined> {
    await this.refresh();
    const open = this.#open;
    if (!open) return undefined;
    const target = vaultModeFor(mode, keySlotsOf(open.vault.body).length);
    if (target === open.vault.body.mode) return undefined;
    const outputs: KeyOutput[] = [];
    try {
      const crossesShares = target === 'password-and-key' || open.vault.body.mode === 'password-and-key';
      if (crossesShares) {
        for (const [, slot] of fido2Slots(open.vault.body)) {
          this.#ctx.progress('vault-key-touch');
          const output = keyOutputOf(await this.#ctx.get(slotRequestOptions(slotRequestOf(slot), this.#ctx.rpId())));
          if (output) outputs.push(output);
        }
      }
      const next = await this.#reshapeWithPassword(open.vault, target, account.email, outputs, `switch to ${mode}`);
      return { next, forget: [] };
    } finally {
      for (const output of outputs) zeroize(output.output);
    }
  }

  // Recovery and the password

  /** The vault with `password` as its new password (password slot, recovery slot's password layer); not written. */
  async preparePassword(password: Uint8Array): Promise<PreparedVaultChange | undefined> {
    await this.refresh();
    const open = this.#open;
    if (!open) return undefined;
    const params = passwordParams(open.vault.body) ?? (await this.#kdf());
    return { next: await changeVaultPassword(open.vault, { password, params, clock: open.clock }), forget: [] };
  }

  /** The vault with a recovery slot for `recoveryCode` (just regenerated) in place of the old one's; not written. */
  async prepareRecoveryCode(input: {
    recoveryCode: string;
    password: Uint8Array;
  }): Promise<PreparedVaultChange | undefined> {
    await this.refresh();
    const open = this.#open;
    if (!open) return undefined;
    const code = Buffer.from(normalizeRecoveryCode(input.recoveryCode), 'utf8');
    try {
      const params = passwordParams(open.vault.body) ?? (await this.#kdf());
      const next = await changeVaultRecoveryCode(open.vault, {
        recoveryCode: code,
        password: input.password,
        params,
        clock: open.clock,
      });
      return { next, forget: [] };
    } finally {
      zeroize(code);
    }
  }

  /**
   * Recovery: the recovery slot (code and password) opens the vault, every key slot goes, the new key gets one, and the
   * recovery slot is remade for the new code. Returns undefined, with a warning, when the vault does not open.
   */
  async recover(input: {
    account: AccountSummary;
    password: Uint8Array;
    recoveryCode: Uint8Array;
  }): Promise<UnlockedVault | undefined> {
    this.lock();
    const { account } = input;
    try {
      const body = await this.#read(account.id);
      if (!body) return undefined;
      const code = Buffer.from(normalizeRecoveryCode(Buffer.from(input.recoveryCode).toString('utf8')), 'utf8');
      try {
        const file = accountVaultFile(this.#ctx.dataDir, account.id);
        const seen = await vaultVersion(file, accountJournalFile(this.#ctx.dataDir, account.id));
        const opened = await unlock(body, { password: input.password, recoveryCode: code }, this.#unlockOptions());
        const { vault, present } = await this.#takeJournal(account.id, opened);
        const clock = await installClock(this.#ctx.dataDir);
        this.#open = await this.#openState(account.id, file, clock, vault, seen);
        if (present) await writeAfterOpen(this.#open.entries);
        return vault;
      } finally {
        zeroize(code);
      }
    } catch (error) {
      this.#locked = { message: error instanceof Error ? error.message : String(error), cause: error };
      this.#ctx.warn(
        `the recovery code and password do not open the vault, which stays locked: ${this.#locked.message}`,
      );
      return undefined;
    }
  }

  /**
   * After recovery: every old slot goes (the old keys' in the backups too), the password and the new code's recovery
   * slot are made again, and the new key gets its slot (through the OS keychain when it has no hmac-secret).
   */
  async afterRecovery(input: NewKeySlot & { password: Uint8Array; newRecoveryCode: string }): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const { clock } = open;
    let vault = open.vault;
    const forget: Uint8Array[] = [];
    const slots: Record<string, Slot> = { ...vault.body.slots };
    for (const [id, slot] of Object.entries(vault.body.slots)) {
      if (slot.deleted) continue;
      if (slot.type === 'fido2-hmac-secret' || slot.type === 'os-keychain') forget.push(bytes(slot.credentialId));
      slots[id] = { type: slot.type, hlc: clock.tick(), deleted: true };
    }
    const code = Buffer.from(normalizeRecoveryCode(input.newRecoveryCode), 'utf8');
    let output: KeyOutput | undefined;
    try {
      const params = await this.#kdf();
      // Rebuilt in the password-or-key shape from the factors recovery has (the password, the new code), then the
      // new key's slot is added the usual way, which reshapes to the account's mode.
      const rebuilt: Record<string, Slot> = { ...slots };
      const header = { header: vault.body, mode: 'password-or-key' as VaultMode };
      const passwordId = randomUUID();
      const recoveryId = randomUUID();
      rebuilt[passwordId] = await makeSlot(
        vault.master,
        { ...header, id: passwordId, hlc: clock.tick() },
        { type: 'password', password: input.password, params },
      );
      rebuilt[recoveryId] = await makeSlot(
        vault.master,
        { ...header, id: recoveryId, hlc: clock.tick() },
        { type: 'recovery', recoveryCode: code, password: input.password, params },
      );
      vault = withSlots(vault, 'password-or-key', rebuilt);
      output = await this.#newKeyOutput(input);
      let keychainSlot = false;
      if (output)
        vault = (await addSlot(vault, { type: 'fido2-hmac-secret', key: output, salt: input.salt }, clock)).vault;
      else if (!input.hmacSecret && (await this.#keychainSlotRefusal()) === undefined) {
        const spec = { type: 'os-keychain' as const, credentialId: input.credentialId, keychain: this.#ctx.keychain };
        vault = (await addSlot(vault, spec, clock)).vault;
        keychainSlot = true;
      }
      const target = vaultModeFor(input.account.sign_in_mode, keySlotsOf(vault.body).length);
      if (target !== vault.body.mode)
        vault = await reshape(vault, {
          mode: target,
          password: input.password,
          params,
          keys: output ? [output] : [],
          ...this.#keychainOption(),
          clock,
        });
      await this.save(vault, forget);
      if (keychainSlot) this.#ctx.warn(KEYCHAIN_WARNING);
    } finally {
      zeroize(code);
      if (output) zeroize(output.output);
    }
  }

  /** The new key's output for its slot: from the registration, else one more touch; undefined without hmac-secret. */
  async #newKeyOutput(input: NewKeySlot): Promise<KeyOutput | undefined> {
    if (!input.hmacSecret) return undefined;
    const keyAlone = input.account.sign_in_mode !== 'password-and-key';
    if (input.creation && (!keyAlone || input.creation.uv)) return input.creation;
    this.#ctx.progress('vault-key-touch');
    const request = { credentialId: input.credentialId, salt: input.salt, uv: keyAlone };
    const options = slotRequestOptions(request, this.#ctx.rpId());
    return keyOutputOf(await this.#ctx.get({ ...options, userVerification: keyAlone ? 'required' : input.policy }));
  }

  // Helpers

  async #reshapeWithPassword(
    vault: UnlockedVault,
    mode: VaultMode,
    email: string,
    keys: readonly KeyOutput[],
    why: string,
  ): Promise<UnlockedVault> {
    const open = this.#requireOpen();
    const keychain = this.#keychainOption();
    if (!needsPassword(vault.body, mode)) return reshape(vault, { mode, keys, ...keychain, clock: open.clock });
    const password = await this.#ctx.password(email, `The vault's password slot is rewritten to ${why}.`);
    try {
      const params = passwordParams(vault.body) ?? (await this.#kdf());
      return await reshape(vault, { mode, password, params, keys, ...keychain, clock: open.clock });
    } finally {
      zeroize(password);
    }
  }

  #keychainOption(): { keychain?: OsKeychain } {
    return this.#ctx.keychain ? { keychain: this.#ctx.keychain } : {};
  }

  /**
   * What a sign-in opens the vault with: the password, the key's output for its hmac-secret slot, and the key itself
   * (its assertion verified by the relying party) for an os-keychain slot.
   */
  #signInFactors(
    password: Uint8Array | undefined,
    output: KeyOutput | undefined,
    credentialId: Uint8Array | undefined,
  ): UnlockFactors {
    return {
      ...(password ? { password } : {}),
      keys: output ? [output] : [],
      verifiedKeys: credentialId ? [credentialId] : [],
      ...this.#keychainOption(),
    };
  }

  /** For a damaged vault: which backup, newest first, opens with the factors this sign-in gave. */
  async #backupHint(userId: string, factors: UnlockFactors): Promise<string> {
    const backups = await vaultBackupFiles(accountVaultFile(this.#ctx.dataDir, userId));
    for (const { generation, path } of backups) {
      try {
        // Each backup read and checked once: the newest that opens with these factors is the one to name.
        const [data, info] = await Promise.all([readFile(path), stat(path)]);
        const vault = await unlock(parseVaultFile(data), factors, this.#unlockOptions());
        const records = Object.values(vault.body.entries).filter((r) => !r.deleted).length;
        lockVault(vault);
        return ` The newest backup that opens is backup ${generation}, saved ${info.mtime.toISOString()} (${records} records): "latchkey vault restore ${generation}" puts it back.`;
      } catch {
        // Damaged too, or it does not open with these factors: try the next older one.
      }
    }
    return backups.length === 0 ? ' There is no backup of it.' : ' None of its backups opens with what was given.';
  }

  async #read(userId: string): Promise<VaultBody | undefined> {
    let data: Buffer;
    try {
      data = await readFile(accountVaultFile(this.#ctx.dataDir, userId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const { checksum: _checksum, ...body } = parseVaultFile(data);
    return body;
  }

  #unlockOptions() {
    return { minArgon2: this.#options.minArgon2 ?? MIN_ARGON2_PARAMS };
  }

  /** Argon2id parameters for a new password slot here: the vault's own (already calibrated), else calibrated once. */
  async kdfParams(): Promise<Argon2Params> {
    return (this.#open && passwordParams(this.#open.vault.body)) ?? this.#kdf();
  }

  async #kdf(): Promise<Argon2Params> {
    if (this.#options.kdf) return this.#options.kdf;
    this.#calibrated ??= (await calibrateArgon2({ targetMs: this.#options.kdfTargetMs ?? 250 })).params;
    return this.#calibrated;
  }

  /** `vault` with the account's journal applied; a part that could not be is said (takeJournal). */
  async #takeJournal(userId: string, vault: UnlockedVault): ReturnType<typeof takeJournal> {
    const taken = await takeJournal(vault, accountJournalFile(this.#ctx.dataDir, userId));
    if (taken.warning) this.#ctx.warn(taken.warning);
    return taken;
  }

  /**
   * The state of a vault just opened. Its OpenVault writes through vaultFileWriters: under the file's lock, and only
   * when the file and journal are still as this session last read or wrote them (else VaultChangedError: refresh(),
   * then do it again). A small change is appended to the journal; a whole write (a fold, a slot change) removes it.
   */
  async #openState(
    userId: string,
    file: string,
    clock: HybridLogicalClock,
    vault: UnlockedVault,
    seen: string | undefined,
  ): Promise<OpenState> {
    const journalFile = accountJournalFile(this.#ctx.dataDir, userId);
    const writers = vaultFileWriters({
      file,
      journal: journalFile,
      seen,
      warn: this.#ctx.warn,
      ...(this.#options.journalFoldMs === undefined ? {} : { foldAfterMs: this.#options.journalFoldMs }),
    });
    const { write, journal } = writers;
    const cacheFile = accountOpenCacheFile(this.#ctx.dataDir, userId);
    const openCache = {
      bytes: await readOpenCacheFile(cacheFile),
      write: async (bytes: Buffer) => {
        try {
          await writeFileAtomic(cacheFile, bytes, { mode: 0o600 });
        } catch (error) {
          this.#ctx.warn(
            `the vault's open cache was not written, so the next opening will be slower: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      },
    };
    const entries = OpenVault.open({ file, vault, clock, write, openCache, journal });
    const open: OpenState = {
      userId,
      file,
      journal: journalFile,
      clock,
      entries,
      get vault() {
        return entries.current;
      },
      get seen() {
        return writers.seen;
      },
      set seen(value) {
        writers.seen = value;
      },
    };
    return open;
  }

  #requireOpen(): OpenState {
    if (!this.#open) throw new Error('the vault is not open');
    return this.#open;
  }
}

/**
 * The write an open makes (a journal taken in, a slot healed). Another writer that changed the file or the journal
 * since this open read them read the journal first, so nothing is lost when this write is refused: the vault stays
 * open, and its next operation starts from that writer's file (refresh); a slot to heal is healed at the next sign-in.
 */
async function writeAfterOpen(entries: OpenVault): Promise<void> {
  try {
    await entries.writeWhole();
  } catch (error) {
    if (!(error instanceof VaultChangedError)) throw error;
  }
}

/** The warning a key without hmac-secret gets with its os-keychain slot. */
const KEYCHAIN_WARNING =
  'this key has no hmac-secret, so it opens the vault through the OS keychain, which is weaker: any program running as you can ask the keychain';

/** The live slots of keys with hmac-secret: each opens with the key's output, asked with a touch. */
function fido2Slots(body: VaultBody): [string, Fido2Slot][] {
  return Object.entries(body.slots).filter(
    (entry): entry is [string, Fido2Slot] => !entry[1].deleted && entry[1].type === 'fido2-hmac-secret',
  );
}

/** Every live key slot, of keys with hmac-secret and of keys that open the vault through the OS keychain. */
function keySlotsOf(body: VaultBody): [string, Fido2Slot | OsKeychainSlot][] {
  return Object.entries(body.slots).filter(
    (entry): entry is [string, Fido2Slot | OsKeychainSlot] =>
      !entry[1].deleted && (entry[1].type === 'fido2-hmac-secret' || entry[1].type === 'os-keychain'),
  );
}

function slotOf(body: VaultBody, credentialId: Uint8Array): [string, Fido2Slot] | undefined {
  return fido2Slots(body).find(([, slot]) => bytes(slot.credentialId).equals(Buffer.from(credentialId)));
}

function slotRequestOf(slot: Fido2Slot): SlotRequest {
  return { credentialId: bytes(slot.credentialId), salt: bytes(slot.salt), uv: slot.uv };
}

function passwordParams(body: VaultBody): Argon2Params | undefined {
  for (const slot of Object.values(body.slots))
    if (!slot.deleted && (slot.type === 'password' || slot.type === 'recovery'))
      return { m: slot.kdf.m, t: slot.kdf.t, p: slot.kdf.p };
  return undefined;
}

/** Whether reshaping to `mode` rewrites the password slot (its share changes, or it must come back). */
function needsPassword(body: VaultBody, mode: VaultMode): boolean {
  if (mode === 'key-only') return false;
  const slot = Object.values(body.slots).find((s) => !s.deleted && s.type === 'password');
  if (!slot || slot.deleted) return true;
  const wanted = mode === 'password-and-key' ? 'password-share' : 'master';
  return slot.share !== wanted;
}

/** The slot remade from the output of the key's new UV state, at the same salt (the output was asked for it). */
async function healSlot(
  vault: UnlockedVault,
  [id, slot]: [string, Fido2Slot],
  output: KeyOutput,
  clock: HybridLogicalClock,
): Promise<UnlockedVault> {
  const remade = await makeSlot(
    vault.master,
    { header: vault.body, mode: vault.body.mode, id, hlc: clock.tick() },
    { type: 'fido2-hmac-secret', key: output, salt: bytes(slot.salt) },
  );
  return withSlots(vault, vault.body.mode, { ...vault.body.slots, [id]: remade });
}
