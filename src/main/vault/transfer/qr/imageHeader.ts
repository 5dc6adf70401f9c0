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

/** The image type a file's first bytes say (PNG signature, JPEG SOI, RIFF/WEBP), or undefined for anything else. */
export function imageTypeOf(data: Uint8Array): ImageType | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * The type and declared size. Only the header is read: PNG's IHDR (the first chunk, by the PNG specification), the
 * first JPEG start-of-frame marker, WebP's VP8/VP8L/VP8X chunk (and, after VP8X, the image chunk that must fit its canvas). Anything else is refused as unsupported.
 */
export function readImageHeader(data: Uint8Array): ImageHeader {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const type = imageTypeOf(bytes);
  if (type === 'png') return pngHeader(bytes);
  if (type === 'jpeg') return jpegHeader(bytes);
  if (type === 'webp') return webpHeader(bytes);
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

/** Chunk headers are a four-letter tag and a little-endian payload size; payloads are padded to an even length. */
const CHUNK_HEADER = 8;

/** VP8X flag bits (RFC 9649, section 2.7): an animation's frames are not one picture of a code. */
const VP8X_ANIMATION = 0x02;

/**
 * RIFF/WEBP (RFC 9649): the RIFF size is checked against the file, so a cut-short file is refused here. A simple file's
 * size is its VP8 or VP8L bitstream's. An extended file (VP8X) declares a canvas; its image chunk is found and must fit
 * in that canvas, so the canvas bounds every pixel the decoder will make. Animations are refused.
 */
function webpHeader(bytes: Buffer): ImageHeader {
  if (bytes.length < 12 + CHUNK_HEADER) throw damaged('WebP', 'is shorter than its header');
  const riffEnd = 8 + bytes.readUInt32LE(4);
  if (riffEnd < 12 + CHUNK_HEADER)
    throw damaged('WebP', `declares ${riffEnd} bytes in its RIFF header, fewer than a WebP header takes`);
  if (riffEnd > bytes.length)
    throw damaged('WebP', `is cut short: its RIFF header declares ${riffEnd} bytes, the file has ${bytes.length}`);
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk !== 'VP8X') return checked({ type: 'webp', ...webpBitstreamSize(bytes, 12, riffEnd) });
  if (bytes.readUInt32LE(16) < 10 || 12 + CHUNK_HEADER + 10 > riffEnd)
    throw damaged('WebP', 'has an extended header (VP8X) shorter than its 10 bytes');
  if (bytes[20]! & VP8X_ANIMATION)
    throw new QrImageError(
      'unsupported-format',
      'the image is an animated WebP, expected a still picture: save the frame with the QR code as PNG, JPEG or WebP',
    );
  const canvas = checked({ type: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 });
  const frame = webpBitstreamSize(bytes, findImageChunk(bytes, riffEnd), riffEnd);
  if (frame.width > canvas.width || frame.height > canvas.height)
    throw damaged(
      'WebP',
      `has an image of ${frame.width} x ${frame.height} pixels on a canvas of ${canvas.width} x ${canvas.height}, expected it to fit`,
    );
  return canvas;
}

/** Where an extended file's VP8 or VP8L chunk starts, after VP8X and the chunks that may come before it (ICCP, ALPH). */
function findImageChunk(bytes: Buffer, riffEnd: number): number {
  let at = 12;
  while (at + CHUNK_HEADER <= riffEnd) {
    const tag = bytes.toString('latin1', at, at + 4);
    if (tag === 'VP8 ' || tag === 'VP8L') return at;
    at += CHUNK_HEADER + bytes.readUInt32LE(at + 4) + (bytes.readUInt32LE(at + 4) & 1);
  }
  throw damaged('WebP', 'has no VP8 or VP8L chunk, where its image data must be');
}

/** The size a VP8 (lossy, RFC 6386 section 9.1) or VP8L (lossless) bitstream declares, from the chunk at `at`. */
function webpBitstreamSize(bytes: Buffer, at: number, riffEnd: number): { width: number; height: number } {
  const chunk = bytes.toString('latin1', at, at + 4);
  const body = at + CHUNK_HEADER;
  if (body + bytes.readUInt32LE(at + 4) > riffEnd)
    throw damaged('WebP', `is cut short: its ${chunk.trim()} chunk runs past the end of the file`);
  if (chunk === 'VP8L') {
    if (body + 5 > riffEnd || bytes[body] !== 0x2f)
      throw damaged('WebP', 'has a lossless chunk without its signature byte');
    const bits = bytes.readUInt32LE(body + 1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') {
    if (body + 10 > riffEnd || bytes[body + 3] !== 0x9d || bytes[body + 4] !== 0x01 || bytes[body + 5] !== 0x2a)
      throw damaged('WebP', 'has a lossy chunk without its start code');
    return { width: bytes.readUInt16LE(body + 6) & 0x3fff, height: bytes.readUInt16LE(body + 8) & 0x3fff };
  }
  throw damaged('WebP', `starts with a ${JSON.stringify(chunk)} chunk, expected VP8, VP8L or VP8X`);
}

function checked(header: ImageHeader): ImageHeader {
  if (header.width === 0 || header.height === 0)
    throw damaged(header.type.toUpperCase(), `declares a size of ${header.width} x ${header.height} pixels`);
  return header;
}
