// Which file of the built renderer an `app://latchkey/...` request names, refusing anything outside that folder.

import nodePath from 'node:path';
import { APP_HOST, APP_SCHEME } from './appOrigin.js';

export interface RendererFilePathOptions {
  /** The request's URL, as the protocol handler received it. */
  url: string;
  /** The absolute path of the built renderer folder (out/renderer). */
  rendererRoot: string;
  /** @default node:path for this OS (tests pass path.win32 or path.posix) */
  path?: Pick<typeof nodePath, 'resolve' | 'sep' | 'isAbsolute'>;
}

export type RendererFilePath = { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/** Characters a path segment may not hold once decoded: separators of either OS, and NUL. */
const FORBIDDEN_IN_SEGMENT = /[/\\\0]/;

/**
 * The absolute path of the requested file, or why it is refused. The URL parser already folds `.` and `..` segments
 * (also written `%2e`), but a segment decoded afterwards can still spell one (`..%2f`), so every decoded segment is
 * checked again and the result must lie inside `rendererRoot`. A folder (`/`, or a path ending in `/`) is its
 * index.html. Symbolic links are the caller's to check (it has the file system; this function does not).
 */
export function rendererFilePath(options: RendererFilePathOptions): RendererFilePath {
  const path = options.path ?? nodePath;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return {
      ok: false,
      status: 400,
      reason: `Unreadable URL "${options.url}", expected ${APP_SCHEME}://${APP_HOST}/…`,
    };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return {
      ok: false,
      status: 403,
      reason: `Request for origin "${url.protocol}//${url.host}", expected ${APP_SCHEME}://${APP_HOST}`,
    };
  }
  const segments = url.pathname.split('/').slice(1);
  if (segments.length === 0 || segments[segments.length - 1] === '') segments.splice(-1, 1, 'index.html');
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return { ok: false, status: 400, reason: `Malformed escape in path segment "${segment}"` };
    }
    if (name === '' || name === '.' || name === '..' || FORBIDDEN_IN_SEGMENT.test(name) || path.isAbsolute(name)) {
      return {
        ok: false,
        status: 403,
        reason: `Path segment "${segment}" refused, expected a plain file or folder name`,
      };
    }
    decoded.push(name);
  }
  const root = path.resolve(options.rendererRoot);
  const file = path.resolve(root, ...decoded);
  if (!isInside(root, file, path.sep)) {
    return { ok: false, status: 403, reason: `Path "${url.pathname}" leads outside the renderer folder` };
  }
  return { ok: true, path: file };
}

/** Whether `candidate` is `root` itself or lies below it (both already resolved). */
export function isInside(root: string, candidate: string, sep: string = nodePath.sep): boolean {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate === root || candidate.startsWith(prefix);
}
