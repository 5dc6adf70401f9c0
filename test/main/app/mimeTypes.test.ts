// The Content-Type of the renderer's files (sent with nosniff, so it must be right).

import { describe, expect, it } from 'vitest';
import { DEFAULT_MIME_TYPE, mimeTypeFor } from '../../../src/main/app/mimeTypes.js';

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/chunk.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['icons/github.svg', 'image/svg+xml'],
    ['a.PNG', 'image/png'],
    ['photo.jpeg', 'image/jpeg'],
    ['fonts/inter.woff2', 'font/woff2'],
    ['zxing_reader.wasm', 'application/wasm'],
    ['messages.json', 'application/json; charset=utf-8'],
  ])('%s is %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });

  it('sends unknown or missing extensions as opaque bytes', () => {
    expect(mimeTypeFor('data.bin')).toBe(DEFAULT_MIME_TYPE);
    expect(mimeTypeFor('LICENSE')).toBe('application/octet-stream');
  });
});
