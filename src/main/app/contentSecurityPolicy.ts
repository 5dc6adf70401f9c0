// The Content-Security-Policy sent with every page and file the renderer loads.

export interface ContentSecurityPolicyOptions {
  /**
   * The electron-vite dev server (`ELECTRON_RENDERER_URL`) in development. Its origin is allowed for scripts, styles and
   * its hot-reload socket, and inline styles too, because Vite injects a component's CSS as `<style>` in development.
   * @default undefined: the production policy, which allows the app's own origin only
   */
  devServerUrl?: string;
}

/**
 * No `unsafe-eval` (Vue's runtime build and vue-i18n 11's message compiler run without `eval` or `new Function`), no
 * inline script, no remote origin; images may be `data:` and `blob:` URLs (icons and QR pictures made in the page).
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const dev = options.devServerUrl === undefined ? undefined : new URL(options.devServerUrl);
  const devOrigin = dev === undefined ? [] : [dev.origin];
  const devSocket = dev === undefined ? [] : [`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...devOrigin],
    'style-src': ["'self'", ...devOrigin, ...(dev === undefined ? [] : ["'unsafe-inline'"])],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", ...devOrigin],
    'connect-src': ["'self'", ...devOrigin, ...devSocket],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
