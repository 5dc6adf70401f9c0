// The main window's settings: Electron's security checklist, checked one by one.

import { describe, expect, it } from 'vitest';
import { builtPaths, trayIconPath } from '../../../src/main/app/builtPaths.js';
import { mainWindowOptions } from '../../../src/main/app/windowOptions.js';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preloadPath: '/app/out/preload/api.cjs', production: true });

  it('opens at 1280x800, no smaller than 900x600, hidden until ready to show', () => {
    expect(options).toMatchObject({ width: 1280, height: 800, minWidth: 900, minHeight: 600, show: false });
  });

  it('isolates and sandboxes the renderer, with no Node, no webview and web security on', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/api.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('has developer tools only outside production', () => {
    expect(options.webPreferences.devTools).toBe(false);
    expect(mainWindowOptions({ preloadPath: 'p', production: false }).webPreferences.devTools).toBe(true);
  });
});

describe('builtPaths and trayIconPath', () => {
  it('finds the preload and the renderer beside out/main', () => {
    expect(builtPaths({ mainDir: '/app/out/main' })).toEqual({
      preload: '/app/out/preload/api.cjs',
      renderer: '/app/out/renderer',
    });
  });

  it('takes the tray icon from the resources when packaged and from the project otherwise', () => {
    const common = { resourcesPath: '/opt/Latchkey/resources', appPath: '/src/latchkey' };
    expect(trayIconPath({ ...common, packaged: true })).toBe('/opt/Latchkey/resources/icons/tray.png');
    expect(trayIconPath({ ...common, packaged: false })).toBe('/src/latchkey/resources/icons/tray.png');
  });
});
