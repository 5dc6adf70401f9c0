// Refuses, for every web contents the app ever makes, navigation away, new windows, webviews and permissions.

import { app, shell, type Session } from 'electron';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import { externalLinkTarget, isAppNavigation } from './navigationPolicy.js';

export interface WebContentsGuardOptions {
  production: boolean;
  /** The dev server in development (its origin counts as the app's), undefined when built. */
  devServerUrl: string | undefined;
}

/** Installs the guards on every web contents created from now on; call before the first window. */
export function installWebContentsGuards(options: WebContentsGuardOptions): void {
  const policy = { devServerUrl: options.devServerUrl };
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppNavigation(url, policy)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAppNavigation(event.url, policy)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppNavigation(url, policy)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const external = externalLinkTarget(url);
      // An https link the UI marks external opens in the person's browser; no window is ever made here.
      if (external !== undefined) void shell.openExternal(external);
      return { action: 'deny' };
    });
    if (options.production) {
      contents.on('devtools-opened', () => contents.closeDevTools());
    }
  });
}

/**
 * Every permission (camera, notifications, HID, serial, clipboard-read...) is refused: the renderer needs none, and the
 * main process does the hardware, the clipboard and the screen capture itself.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** In development the dev server serves the page, so its responses get the development CSP here. */
export function applyDevServerCsp(session: Session, devServerUrl: string): void {
  const csp = contentSecurityPolicy({ devServerUrl });
  session.webRequest.onHeadersReceived({ urls: [`${new URL(devServerUrl).origin}/*`] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}
