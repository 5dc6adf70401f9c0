// The app's own origin: the privileged `app://latchkey/` scheme the renderer is loaded from, and nothing else.

/** The custom scheme registered as privileged (standard, secure) before the app is ready. */
export const APP_SCHEME = 'app';
/** The only host the scheme serves; any other host is refused. */
export const APP_HOST = 'latchkey';
/** Where the renderer lives: `app://latchkey`. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window opens. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
