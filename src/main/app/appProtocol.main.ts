// Serves the built renderer at app://latchkey/ with the CSP on every response: the only place the window loads from.

import { readFile, realpath } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME } from './appOrigin.js';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import { mimeTypeFor } from './mimeTypes.js';
import { isInside, rendererFilePath } from './rendererFilePath.js';

/**
 * Must run before the app is ready. Standard and secure: the page gets a real origin (storage, relative URLs, module
 * scripts) and counts as a secure context; fetch works on it; nothing else (no service workers, no CSP bypass).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export interface ServeRendererOptions {
  session: Session;
  /** The built renderer folder (out/renderer). */
  rendererRoot: string;
}

/** Answers app://latchkey/ requests from files under `rendererRoot` only. */
export function serveRenderer(options: ServeRendererOptions): void {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  options.session.protocol.handle(APP_SCHEME, async (request) => {
    const resolved = rendererFilePath({ url: request.url, rendererRoot: options.rendererRoot });
    if (!resolved.ok) return new Response(resolved.reason, { status: resolved.status, headers });
    try {
      // A symbolic link inside the folder could still point out of it: compare the real paths.
      const [root, file] = await Promise.all([realpath(options.rendererRoot), realpath(resolved.path)]);
      if (!isInside(root, file)) return new Response('Outside the renderer folder', { status: 403, headers });
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': mimeTypeFor(file) } });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  });
}
