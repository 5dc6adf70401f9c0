// The Electron main process's entry: one instance, the app protocol, the guarded window, the tray and the menu.

import { app, session, type BrowserWindow } from 'electron';
import type { DesktopShell } from '../ipc/DesktopShell.js';
import { DesktopCore } from '../ipc/DesktopCore.js';
import { IpcDispatcher } from '../ipc/IpcDispatcher.js';
import { bindIpc, windowEventSender } from '../ipc/ipc.main.js';
import { defaultDataDir } from '../config/defaultDataDir.js';
import { createDeviceManager } from '../services/index.js';
import { isAppNavigation } from './navigationPolicy.js';
import { registerAppScheme, serveRenderer } from './appProtocol.main.js';
import { builtPaths, trayIconPath } from './builtPaths.js';
import { createElectronShell } from './electronShell.main.js';
import { installLockTriggers, type LockTriggers } from './lockTriggers.main.js';
import { createOsKeychain } from './osKeychain.main.js';
import { createMainWindow } from './mainWindow.main.js';
import { applyDevServerCsp, denyAllPermissions, installWebContentsGuards } from './webContentsGuards.main.js';

/** What the app core (src/main/ipc) is started with once the window exists. */
export interface DesktopParts {
  window: BrowserWindow;
  shell: DesktopShell;
  /** Connect the core's lock and minimise-to-tray callbacks to the tray, the menu and the OS events. */
  lockTriggers: LockTriggers;
}

const production = app.isPackaged;
// The dev server exists only under `electron-vite dev`; a packaged app ignores the variable, so it cannot be pointed
// at another page.
const devServerUrl = production ? undefined : process.env.ELECTRON_RENDERER_URL;

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (its 'second-instance' event shows the window) and leaves.
  app.quit();
} else {
  registerAppScheme();
  installWebContentsGuards({ production, devServerUrl });
  let window: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let core: DesktopCore | undefined;
  void app.whenReady().then(async () => {
    const parts = start();
    window = parts.window;
    core = await startCore(parts);
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || core === undefined) return;
    // Quit once the core closed: the vault's journaled changes are then in its file (the next open would apply them
    // anyway, but the file is what a synced folder carries to the other desktops).
    event.preventDefault();
    void core.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

/** The app core on the window: the services, the IPC handlers, the device watch and the locks. */
async function startCore(parts: DesktopParts): Promise<DesktopCore> {
  const devices = createDeviceManager({ retryPcsc: true });
  const send = windowEventSender(parts.window);
  const core = await DesktopCore.open({
    dataDir: process.env.LATCHKEY_DATA_DIR ?? defaultDataDir(),
    shell: parts.shell,
    send,
    devices,
    // Keys without hmac-secret open the vault through it (shown as weaker); created after 'ready', as it must be.
    keychain: createOsKeychain(),
  });
  bindIpc(new IpcDispatcher(core, { isTrustedSender: (url) => isAppNavigation(url, { devServerUrl }) }));
  parts.lockTriggers.connect({
    lock: (reason) => (reason === 'manual' ? core.lock('manual') : core.osLocked(reason)),
    minimiseToTray: () => core.preferences.minimiseToTray,
    language: () => core.preferences.language,
    showSettings: () => send('navigate', { to: 'settings' }),
  });
  // The keys present are watched for the "Keys present" screen and the lock on removal; a transport that cannot work
  // here says why on that screen, it never stops the app.
  void devices.start();
  return core;
}

function start(): DesktopParts {
  const paths = builtPaths({ mainDir: import.meta.dirname });
  const appSession = session.defaultSession;
  denyAllPermissions(appSession);
  serveRenderer({ session: appSession, rendererRoot: paths.renderer });
  if (devServerUrl !== undefined) applyDevServerCsp(appSession, devServerUrl);
  const window = createMainWindow({
    preloadPath: paths.preload,
    production,
    devServerUrl,
    // The login item starts Latchkey with --hidden (linuxAutostart.ts, login item args): straight to the tray.
    hidden: process.argv.includes('--hidden'),
  });
  return {
    window,
    shell: createElectronShell(),
    lockTriggers: installLockTriggers({
      window,
      trayIconPath: trayIconPath({
        packaged: production,
        resourcesPath: process.resourcesPath,
        appPath: app.getAppPath(),
      }),
    }),
  };
}
