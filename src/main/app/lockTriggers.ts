// What the shell tells the app core about locking, and the decisions behind it (close to tray, OS events).

/** Why the vault is being locked, as the shell saw it (idle and key removal are the core's own triggers). */
export type ShellLockReason = 'manual' | 'os-lock' | 'suspend';

/** What the app core gives the shell: how to lock, and whether closing the window hides it in the tray. */
export interface LockTriggerCallbacks {
  lock(reason: ShellLockReason): void;
  /** Read at each close, so a settings change takes effect at once. */
  minimiseToTray(): boolean;
  /** The person's language preference, for the tray's and the menu's words (read when the core connects). */
  language(): 'system' | 'en' | 'fr';
  /** The tray's Settings: the window shows its settings. */
  showSettings(): void;
}

/** The powerMonitor events that lock the vault, and the reason each reports. */
export const POWER_LOCK_EVENTS = { 'lock-screen': 'os-lock', suspend: 'suspend' } as const satisfies Record<
  string,
  ShellLockReason
>;

export interface CloseActionOptions {
  /** The app is quitting (menu Quit, tray Quit, OS log-out): the window must really close. */
  quitting: boolean;
  /** The person's "minimise to tray" setting; false before the core is connected. */
  minimiseToTray: boolean;
}

/** Closing the window hides it to the tray when that setting is on, unless the app is quitting. */
export function closeAction(options: CloseActionOptions): 'hide' | 'close' {
  return options.minimiseToTray && !options.quitting ? 'hide' : 'close';
}
