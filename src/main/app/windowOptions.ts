// The main window's size and web preferences: Electron's security checklist, in one place a test can read.

export interface MainWindowOptionsInput {
  /** The absolute path of the built, sandboxed preload (out/preload/api.cjs). */
  preloadPath: string;
  /** Packaged builds turn the developer tools off. */
  production: boolean;
}

/** A plain copy of the BrowserWindow options used (checked against Electron's own type where the window is made). */
export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webviewTag: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: false;
    devTools: boolean;
    disableBlinkFeatures: string;
  };
}

/**
 * 1280x800 (the screenshots' size), no smaller than 900x600, hidden until its first paint so no blank frame flashes.
 * The renderer runs sandboxed and isolated from the preload; it sees only what the preload exposes.
 */
export function mainWindowOptions(input: MainWindowOptionsInput): MainWindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Latchkey',
    backgroundColor: '#1b1d21',
    autoHideMenuBar: false,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone would otherwise replace the app's page with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !input.production,
      // A middle click would otherwise open a link in a new window without going through the window-open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
