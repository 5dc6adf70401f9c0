// Where the built parts of the app are, seen from the built main process (out/main), and the tray icon.

import nodePath from 'node:path';

export interface BuiltPathsOptions {
  /** The folder of the built main script (out/main), i.e. `import.meta.dirname` there. */
  mainDir: string;
  /** @default node:path */
  path?: Pick<typeof nodePath, 'join'>;
}

export interface BuiltPaths {
  /** The sandboxed preload, one CommonJS file (sandboxed preloads cannot load ES modules or other files). */
  preload: string;
  /** The folder app://latchkey/ serves. */
  renderer: string;
}

/** electron-vite writes out/main, out/preload and out/renderer side by side; electron.vite.config.ts names the files. */
export function builtPaths(options: BuiltPathsOptions): BuiltPaths {
  const path = options.path ?? nodePath;
  return {
    preload: path.join(options.mainDir, '..', 'preload', 'api.cjs'),
    renderer: path.join(options.mainDir, '..', 'renderer'),
  };
}

export interface TrayIconPathOptions {
  packaged: boolean;
  /** process.resourcesPath: electron-builder copies resources/icons there (extraResources). */
  resourcesPath: string;
  /** app.getAppPath(): the project folder in development. */
  appPath: string;
  path?: Pick<typeof nodePath, 'join'>;
}

export function trayIconPath(options: TrayIconPathOptions): string {
  const path = options.path ?? nodePath;
  return options.packaged
    ? path.join(options.resourcesPath, 'icons', 'tray.png')
    : path.join(options.appPath, 'resources', 'icons', 'tray.png');
}
