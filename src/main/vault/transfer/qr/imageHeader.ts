// Reads an image file's type and pixel size from its header alone, so a huge picture is refused before it is decoded.

import { QrImageError } from './QrImageError.js';

export type ImageType = 'png' | 'jpeg' | 'webp';

export interface ImageHeader {
  type: ImageType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const damaged = (type: string, problem: string) => new QrImageError('damaged', `the ${type} image ${problem}`);

/**
 * The type and declared size. Only the header is read: PNG's IHDR (the first chunk, by the PNG specification), the
 * first JPEG start-of-frame marker, WebP's VP8/VP8L/VP8X chunk. Anything else is refused as unsupported.
 */
export function readImageHeader(data: Uint8Array): ImageHeader {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return pngHeader(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes);
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return webpHeader(bytes);
  throw new QrImageError(
    'unsupported-format',
    `the file is not a PNG, JPEG or WebP image (it starts with ${bytes.subarray(0, 4).toString('hex') || 'nothing'})`,
  );
}

function pngHeader(bytes: Buffer): ImageHeader {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR')
    throw damaged('PNG', 'has no IHDR chunk first, where its size must be');
  return checked({ type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });
}

/** Start-of-frame markers C0-CF, except C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding conditioning). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Buffer): ImageHeader {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw damaged('JPEG', `has no marker at byte ${at}`);
    const marker = bytes[at + 1]!;
    // Fill bytes (FF FF...) and the markers that carry no length (TEM, RST0-7).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) throw damaged('JPEG', `has a segment length of ${length} at byte ${at}`);
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) break;
      return checked({ type: 'jpeg', height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) });
    }
    at += 2 + length;
  }
  throw damaged('JPEG', 'has no start-of-frame marker before its image data, where its size must be');
}

function webpHeader(bytes: Buffer): ImageHeader {
  if (bytes.length < 30) throw damaged('WebP', 'is shorter than its header');
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X')
    return checked({ type: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 });
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) throw damaged('WebP', 'has a lossless chunk without its signature byte');
    const bits = bytes.readUInt32LE(21);
    return checked({ type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 });
  }
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a)
      throw damaged('WebP', 'has a lossy chunk without its start code');
    return checked({ type: 'webp', width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff });
  }
  throw damaged('WebP', `starts with a ${JSON.stringify(chunk)} chunk, expected VP8, VP8L or VP8X`);
}

function checked(header: ImageHeader): ImageHeader {
  if (header.width === 0 || header.height === 0)
    throw damaged(header.type.toUpperCase(), `declares a size of ${header.width} x ${header.height} pixels`);
  return header;
}
