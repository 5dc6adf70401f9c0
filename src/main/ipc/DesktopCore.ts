// The desktop app's core: one session, its prompter, the preferences, the locks (idle, OS, key removed) and the clock.

import type { AccountView, AppState, EventName, EventOf, LOCK_REASONS, Preferences } from '../../ipc/contract.js';
import {
  deviceKeySource,
  Session,
  type DeviceManager,
  type KeySource,
  type OsKeychain,
  type SessionOptions,
} from '../services/index.js';
import type { DesktopShell } from './DesktopShell.js';
import { brandIconFinder } from './brandIcons.js';
import { IpcPrompter } from './IpcPrompter.js';
import { DEFAULT_PREFERENCES, PreferencesFile } from './preferencesFile.js';
import type { ImportedEntry } from '../vault/index.js';

export type LockReason = (typeof LOCK_REASONS)[number];

/** Timers, so that tests can run the idle lock in milliseconds; production uses the global ones. */
export interface CoreTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

export interface DesktopCoreOptions {
  /** The relying party's and the vault's folder. */
  dataDir: string;
  shell: DesktopShell;
  /** Sends an event to the window. */
  send: <E extends EventName>(event: E, payload: EventOf<E>) => void;
  /** The keys for ceremonies: @default the keys of `devices`, else the keys connected over USB and NFC */
  keys?: KeySource;
  /** The keys present, for the "Keys present" screen, the lock on removal and ceremonies: @default none watched */
  devices?: DeviceManager;
  /** Relying party variables (WEBAUTHN_*). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  vault?: SessionOptions['vault'];
  /** The OS keychain (Electron's safeStorage; a stand-in in tests): keys without hmac-secret open the vault with it. */
  keychain?: OsKeychain;
  timers?: CoreTimers;
  /** How long a "minute" of the idle lock lasts, in milliseconds (tests shorten it). @default 60000 */
  idleMinuteMs?: number;
  platform?: NodeJS.Platform;
}

const SYSTEM_TIMERS: CoreTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (run, ms) => setInterval(run, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

/** An import read and shown to the person, kept until they say which entries to add (or the vault locks). */
export interface PendingImport {
  token: string;
  entries: ImportedEntry[];
}

/**
 * Everything the IPC handlers act on. It holds no secret itself: the master key lives in the session's vault and is
 * wiped by lock(); an import's entries (secrets included) wait here between preview and commit and go on lock too.
 */
export class DesktopCore {
  readonly session: Session;
  readonly prompter: IpcPrompter;
  readonly shell: DesktopShell;
  readonly devices: DeviceManager | undefined;
  readonly timers: CoreTimers;
  readonly #send: DesktopCoreOptions['send'];
  readonly #preferences: PreferencesFile | undefined;
  #fallbackPreferences: Preferences = { ...DEFAULT_PREFERENCES };
  readonly #idleMinuteMs: number;
  readonly #platform: NodeJS.Platform;
  #idle: unknown;
  #tick: unknown;
  /** Why the next `locked` event says the vault locked (a lock from inside the session is a manual one). */
  #lockReason: LockReason = 'manual';
  pendingImport: PendingImport | undefined;

  private constructor(
    options: DesktopCoreOptions,
    session: Session,
    prompter: IpcPrompter,
    preferences?: PreferencesFile,
  ) {
    this.session = session;
    this.prompter = prompter;
    this.shell = options.shell;
    this.devices = options.devices;
    this.timers = options.timers ?? SYSTEM_TIMERS;
    this.#send = options.send;
    this.#preferences = preferences;
    this.#idleMinuteMs = options.idleMinuteMs ?? 60_000;
    this.#platform = options.platform ?? process.platform;
    session.onLock(() => this.#afterLock());
    this.devices?.on('removed', (device) => {
      // An NFC key leaves the reader after every tap: only a key unplugged locks (USB, or a virtual one in tests).
      if (device.transport !== 'nfc' && this.preferences.lockOnKeyRemoval && this.session.signedIn)
        this.lock('key-removed');
      this.#sendDevices();
    });
    this.devices?.on('added', () => this.#sendDevices());
    this.devices?.on('changed', () => this.#sendDevices());
    this.devices?.on('transport', () => this.#sendDevices());
  }

  static async open(options: DesktopCoreOptions): Promise<DesktopCore> {
    const prompter = new IpcPrompter(options.send);
    // The keys present on screen and the keys of ceremonies come from one device manager: one HID poll, one PC/SC
    // connection, and "insert a key" hears of a key the moment the screen does.
    const keys =
      options.keys ?? (options.devices ? deviceKeySource({ prompter, manager: options.devices }) : undefined);
    const session = await Session.open({
      dataDir: options.dataDir,
      prompter,
      ...(keys === undefined ? {} : { keys }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.vault === undefined ? {} : { vault: options.vault }),
      ...(options.keychain === undefined ? {} : { osKeychain: options.keychain }),
      onWarning: (warning) => options.send('warning', { message: warning.message }),
    });
    let preferences: PreferencesFile | undefined;
    try {
      preferences = await PreferencesFile.open(options.dataDir);
    } catch (error) {
      // Damaged preferences must not keep anyone out of their vault: the defaults hold, and the window says why.
      options.send('warning', { message: `${(error as Error).message} Latchkey uses its default preferences.` });
    }
    return new DesktopCore(options, session, prompter, preferences);
  }

  get preferences(): Preferences {
    return this.#preferences?.value ?? this.#fallbackPreferences;
  }

  async setPreferences(changes: Partial<Preferences>): Promise<Preferences> {
    if (this.#preferences) await this.#preferences.set(changes);
    else this.#fallbackPreferences = { ...this.#fallbackPreferences, ...changes };
    if (changes.startAtLogin !== undefined) this.shell.setStartAtLogin(changes.startAtLogin);
    this.activity();
    return this.preferences;
  }

  async state(): Promise<AppState> {
    await this.session.rp.refresh();
    const signedIn = this.session.signedIn;
    let vault: AppState['vault'] = 'none';
    let vaultLockedReason: string | undefined;
    if (signedIn) {
      try {
        await this.session.vault();
        vault = 'open';
      } catch (error) {
        vault = 'locked';
        vaultLockedReason = (error as Error).message;
      }
    }
    const account = signedIn ? this.session.account() : undefined;
    const platform = this.#platform;
    return {
      accounts: this.session.rp.accounts().map((a) => ({ email: a.email, signInMode: a.sign_in_mode })),
      ...(account === undefined ? {} : { account: accountView(account) }),
      vault,
      ...(vaultLockedReason === undefined ? {} : { vaultLockedReason }),
      userVerification: this.session.rp.settings().user_verification,
      preferences: this.preferences,
      platform: platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : 'other',
    };
  }

  /** Signed in: the idle timer and the clock start. */
  signedIn(): void {
    // The vault's list matches service names to the bundled logos: load them now, while the window draws.
    void brandIconFinder();
    this.activity();
    this.timers.clearInterval(this.#tick);
    this.#tick = this.timers.setInterval(() => this.#send('tick', { now: this.timers.now() }), 1000);
    this.#send('tick', { now: this.timers.now() });
  }

  /** The person did something: the idle lock starts counting again. */
  activity(): void {
    this.timers.clearTimeout(this.#idle);
    this.#idle = undefined;
    const minutes = this.preferences.autoLockMinutes;
    if (minutes === 0 || !this.session.signedIn) return;
    this.#idle = this.timers.setTimeout(() => this.lock('idle'), minutes * this.#idleMinuteMs);
  }

  /** Locks now: the vault's master key is wiped, the codes leave the screen and the clipboard. */
  lock(reason: LockReason): void {
    this.#lockReason = reason;
    this.session.cancel();
    this.prompter.cancelAll();
    if (this.session.signedIn) this.session.lock();
    else this.#afterLock();
  }

  /** The OS locked the screen or went to sleep: locked when the preference says so. */
  osLocked(reason: 'os-lock' | 'suspend'): void {
    if (this.preferences.lockOnOsLock) this.lock(reason);
  }

  #afterLock(): void {
    this.timers.clearTimeout(this.#idle);
    this.timers.clearInterval(this.#tick);
    this.#idle = undefined;
    this.#tick = undefined;
    this.pendingImport = undefined;
    this.shell.clearCopied();
    this.#send('locked', { reason: this.#lockReason });
    this.#lockReason = 'manual';
  }

  /** The vault's content changed: the window reloads its list. */
  notifyVaultChanged(): void {
    this.#send('vault:changed', {});
  }

  devicesView(): EventOf<'devices'> {
    const devices = this.devices;
    if (!devices) return { devices: [], unavailable: [] };
    return {
      devices: devices.list().flatMap((d) =>
        d.transport === 'usb' || d.transport === 'nfc'
          ? [
              {
                name: d.name,
                transport: d.transport,
                status: d.problem === undefined ? ('ready' as const) : ('problem' as const),
                ...(d.problem === undefined ? {} : { problem: d.problem }),
              },
            ]
          : [],
      ),
      unavailable: devices
        .transports()
        .filter((t) => t.state === 'unavailable')
        .map((t) => ({ transport: t.transport, reason: t.reason ?? 'It cannot be used on this computer now.' })),
    };
  }

  #sendDevices(): void {
    this.#send('devices', this.devicesView());
  }

  async close(): Promise<void> {
    this.lock('signed-out');
    await this.devices?.stop();
    await this.session.close();
  }
}

export function accountView(account: ReturnType<Session['account']>): AccountView {
  return {
    email: account.email,
    signInMode: account.sign_in_mode,
    hasRecoveryCode: account.has_recovery_code,
    keyCount: account.key_count,
    createdAt: account.created_at,
  };
}
