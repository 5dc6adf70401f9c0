// Reads an icon an export carries as base64 with a MIME type: only image types Latchkey shows, checked by their bytes.

import { quoteForMessage } from '../../../text/quoteForMessage.js';

/** A service logo is a few kilobytes; 1 MiB is far above any an app exports. */
export const MAX_ICON_BYTES = 1024 * 1024;

/** The types 2FAuth accepts for icons, each with the bytes a file of that type starts with. */
const SIGNATURES: Readonly<Record<string, (b: Uint8Array) => boolean>> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  'image/bmp': (b) => ascii(b, 0, 2) === 'BM',
  'image/svg+xml': (b) => /^(\uFEFF)?\s*</.test(ascii(b, 0, 64)),
};
const ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/x-ms-bmp': 'image/bmp' };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

export type IconResult = { icon: { mime: string; data: Uint8Array } } | { warning: string } | undefined;

/** The icon, a warning saying why it was left out (the entry itself is still imported), or undefined if there is none. */
export function readIcon(base64: unknown, mime: unknown): IconResult {
  if (base64 === undefined || base64 === null || base64 === '') return undefined;
  if (typeof base64 !== 'string' || base64.length > Math.ceil(MAX_ICON_BYTES / 3) * 4 + 4)
    return { warning: `the icon was left out: it is not base64 text of at most ${MAX_ICON_BYTES} bytes` };
  const compact = base64.replace(/\s/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1)
    return { warning: 'the icon was left out: its data is not valid base64' };
  const type = typeof mime === 'string' ? (ALIASES[mime.toLowerCase()] ?? mime.toLowerCase()) : undefined;
  const check = type === undefined ? undefined : SIGNATURES[type];
  if (typeof mime !== 'string') return { warning: 'the icon was left out: the file gives no image type for it' };
  if (type === undefined || check === undefined)
    return {
      warning: `the icon was left out: its type ${quoteForMessage(mime)} is not one of ${Object.keys(SIGNATURES).join(', ')}`,
    };
  const data = new Uint8Array(Buffer.from(compact, 'base64'));
  if (!check(data)) return { warning: `the icon was left out: its bytes are not a ${type} image` };
  return { icon: { mime: type, data } };
}
