// Where the app's web contents may navigate to, and which links may open in the person's browser.

import { APP_ORIGIN } from './appOrigin.js';

export interface NavigationPolicyOptions {
  /** The electron-vite dev server in development; its origin is then the app's too. @default undefined */
  devServerUrl?: string;
}

/** Origins the window may show: app://latchkey, and the dev server's in development. */
export function allowedOrigins(options: NavigationPolicyOptions = {}): string[] {
  return options.devServerUrl === undefined ? [APP_ORIGIN] : [APP_ORIGIN, new URL(options.devServerUrl).origin];
}

/** Whether a navigation or redirect to `url` stays in the app (same origin); anything unreadable is refused. */
export function isAppNavigation(url: string, options: NavigationPolicyOptions = {}): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL gives a non-special scheme such as app: the origin "null", so compare scheme and host (with port).
  const origin = `${parsed.protocol}//${parsed.host}`;
  return allowedOrigins(options).includes(origin);
}

/**
 * The link to hand to the person's browser for a `window.open` (a link the UI marks external), or undefined to do
 * nothing: only plain https URLs without credentials, so no file:, custom scheme or script URL reaches the OS.
 */
export function externalLinkTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') {
    return undefined;
  }
  return parsed.href;
}
