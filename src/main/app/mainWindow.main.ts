// Creates the main window and loads the renderer: app://latchkey/ when built, the dev server's URL in development.

import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './appOrigin.js';
import { mainWindowOptions } from './windowOptions.js';

export interface CreateMainWindowOptions {
  preloadPath: string;
  production: boolean;
  /** ELECTRON_RENDERER_URL, honoured only when not packaged. */
  devServerUrl: string | undefined;
}

export function createMainWindow(options: CreateMainWindowOptions): BrowserWindow {
  const settings: BrowserWindowConstructorOptions = mainWindowOptions(options);
  const window = new BrowserWindow(settings);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devServerUrl ?? APP_ENTRY_URL);
  return window;
}
