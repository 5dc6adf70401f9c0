// The tray, the application menu and the OS's lock and suspend events: the shell's ways to lock and to hide the window.

import {
  app,
  Menu,
  nativeImage,
  powerMonitor,
  Tray,
  type BrowserWindow,
  type MenuItemConstructorOptions,
} from 'electron';
import { closeAction, POWER_LOCK_EVENTS, type LockTriggerCallbacks, type ShellLockReason } from './lockTriggers.js';
import { SHELL_LABELS, shellLanguage, type ShellLabels } from './shellLabels.js';

export interface InstallLockTriggersOptions {
  window: BrowserWindow;
  /** The tray's picture (resources/icons/tray.png). */
  trayIconPath: string;
}

/** Made at startup, before the app core exists; the core connects its callbacks once it runs. */
export interface LockTriggers {
  connect(callbacks: LockTriggerCallbacks): void;
}

/**
 * Tray (Open, Lock, Quit), application menu with Lock at CmdOrCtrl+L, powerMonitor's lock-screen and suspend. Until
 * the core connects, Lock does nothing (there is nothing unlocked yet) and closing the window closes it.
 */
export function installLockTriggers(options: InstallLockTriggersOptions): LockTriggers {
  const { window } = options;
  let callbacks: LockTriggerCallbacks | undefined;
  let quitting = false;
  const lock = (reason: ShellLockReason): void => callbacks?.lock(reason);
  const open = (): void => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const tray = new Tray(nativeImage.createFromPath(options.trayIconPath));
  tray.setToolTip('Latchkey');
  // Built in English at start, again in the person's language once the core (and its preferences) is connected.
  const label = (labels: ShellLabels) => {
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: labels.open, click: open },
        {
          label: labels.settings,
          click: () => {
            open();
            callbacks?.showSettings();
          },
        },
        { label: labels.lock, click: () => lock('manual') },
        { type: 'separator' },
        { label: labels.quit, click: () => app.quit() },
      ]),
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu(labels, () => lock('manual'))));
  };
  label(SHELL_LABELS.en);
  tray.on('click', open);

  powerMonitor.on('lock-screen', () => lock(POWER_LOCK_EVENTS['lock-screen']));
  powerMonitor.on('suspend', () => lock(POWER_LOCK_EVENTS.suspend));

  app.on('before-quit', () => (quitting = true));
  window.on('close', (event) => {
    if (closeAction({ quitting, minimiseToTray: callbacks?.minimiseToTray() ?? false }) === 'hide') {
      event.preventDefault();
      window.hide();
    }
  });
  app.once('will-quit', () => tray.destroy());

  return {
    connect(given) {
      callbacks = given;
      label(SHELL_LABELS[shellLanguage(given.language(), app.getLocale())]);
    },
  };
}

/** The standard menus (edit for copy and paste in fields, window, the macOS app menu) with Lock in the File menu. */
function applicationMenu(labels: ShellLabels, lock: () => void): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: labels.file,
    submenu: [
      { label: labels.lock, accelerator: 'CmdOrCtrl+L', click: lock },
      { type: 'separator' },
      process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const menus: MenuItemConstructorOptions[] = [file, { role: 'editMenu' }, { role: 'windowMenu' }];
  return process.platform === 'darwin' ? [{ role: 'appMenu' }, ...menus] : menus;
}
