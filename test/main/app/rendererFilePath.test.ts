// app://latchkey/ requests map to files under the built renderer folder, and nothing else.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, rendererFilePath } from '../../../src/main/app/rendererFilePath.js';

const ROOT = '/opt/latchkey/out/renderer';
const resolve = (url: string) => rendererFilePath({ url, rendererRoot: ROOT, path: path.posix });

describe('rendererFilePath', () => {
  it('serves index.html for the root and for a folder', () => {
    expect(resolve('app://latchkey/')).toEqual({ ok: true, path: `${ROOT}/index.html` });
    expect(resolve('app://latchkey')).toEqual({ ok: true, path: `${ROOT}/index.html` });
    expect(resolve('app://latchkey/help/')).toEqual({ ok: true, path: `${ROOT}/help/index.html` });
  });

  it('maps a file, decoding escaped names and ignoring the query and fragment', () => {
    expect(resolve('app://latchkey/assets/index-abc.js?v=1#x')).toEqual({
      ok: true,
      path: `${ROOT}/assets/index-abc.js`,
    });
    expect(resolve('app://latchkey/assets/my%20icon.svg')).toEqual({ ok: true, path: `${ROOT}/assets/my icon.svg` });
  });

  it('keeps dot segments the URL parser folds inside the folder', () => {
    // The parser turns /../../etc/passwd into /etc/passwd: a file under the root, which does not exist there.
    expect(resolve('app://latchkey/../../etc/passwd')).toEqual({ ok: true, path: `${ROOT}/etc/passwd` });
    expect(resolve('app://latchkey/assets/%2e%2e/%2e%2e/secret')).toEqual({ ok: true, path: `${ROOT}/secret` });
  });

  it.each([
    ['an encoded slash making a parent segment', 'app://latchkey/..%2f..%2fetc/passwd'],
    ['an encoded backslash', 'app://latchkey/..%5c..%5cwindows/win.ini'],
    ['an encoded NUL', 'app://latchkey/index.html%00.png'],
    ['an absolute path in one segment', 'app://latchkey/%2fetc%2fpasswd'],
    ['a doubled slash (empty segment)', 'app://latchkey//etc/passwd'],
  ])('refuses %s', (_what, url) => {
    const result = resolve(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.status).toBe(403);
  });

  it('refuses a Windows drive path in a segment', () => {
    const result = rendererFilePath({
      url: 'app://latchkey/C:%5cWindows%5cwin.ini',
      rendererRoot: 'C:\\Latchkey\\resources\\renderer',
      path: path.win32,
    });
    expect(result.ok).toBe(false);
    const drive = rendererFilePath({
      url: 'app://latchkey/C:/x',
      rendererRoot: 'D:\\Latchkey\\renderer',
      path: path.win32,
    });
    expect(drive.ok).toBe(false);
  });

  it('refuses another host or scheme, saying what it expected', () => {
    const other = resolve('app://evil/index.html');
    expect(other).toMatchObject({ ok: false, status: 403 });
    if (!other.ok) expect(other.reason).toBe('Request for origin "app://evil", expected app://latchkey');
    expect(resolve('file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a malformed escape', () => {
    expect(resolve('app://latchkey/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('isInside', () => {
  it('accepts the root and what lies below it, not a sibling sharing its prefix', () => {
    expect(isInside('/a/renderer', '/a/renderer', '/')).toBe(true);
    expect(isInside('/a/renderer', '/a/renderer/x.js', '/')).toBe(true);
    expect(isInside('/a/renderer', '/a/renderer-evil/x.js', '/')).toBe(false);
    expect(isInside('/a/renderer', '/a', '/')).toBe(false);
  });
});
