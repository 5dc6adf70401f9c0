// The Electron main process's entry: one instance, the app protocol, the guarded window, the tray and the menu.

import { app, session, type BrowserWindow } from 'electron';
import type { DesktopShell } from '../ipc/DesktopShell.js';
import { registerAppScheme, serveRenderer } from './appProtocol.main.js';
import { builtPaths, trayIconPath } from './builtPaths.js';
import { createElectronShell } from './electronShell.main.js';
import { installLockTriggers, type LockTriggers } from './lockTriggers.main.js';
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
  void app.whenReady().then(() => {
    const parts = start();
    window = parts.window;
    // The app core (IPC handlers, services) starts here, with `parts`.
  });
}

function start(): DesktopParts {
  const paths = builtPaths({ mainDir: import.meta.dirname });
  const appSession = session.defaultSession;
  denyAllPermissions(appSession);
  serveRenderer({ session: appSession, rendererRoot: paths.renderer });
  if (devServerUrl !== undefined) applyDevServerCsp(appSession, devServerUrl);
  const window = createMainWindow({ preloadPath: paths.preload, production, devServerUrl });
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
