// Finds and reads the QR codes in a picture (a screenshot, a photo of a screen), within bounds on size and text.

import { readImageHeader } from './imageHeader.js';
import { MAX_QR_TEXT_BYTES } from './qrLimits.js';
import { QrImageError } from './QrImageError.js';
import { decodeWebp } from './webpDecoder.js';
import { readWithZxing } from './zxingReader.js';

/** The largest image file read: a phone photo is a few MB; 50 MB is no picture of a QR code. */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;

/**
 * The most pixels decoded: 40 megapixels (a 7,300 x 5,500 photo) cost 160 MB of RGBA in the decoder's memory. A file
 * that declares more (a "PNG bomb": a few KB that inflate to gigabytes) is refused from its header, before decoding.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** Pictures above this many pixels leave a large WebAssembly memory behind: the module is dropped after them. */
const PURGE_ABOVE_PIXELS = 16_000_000;

/** At most this many codes per picture: a Google Authenticator transfer of 1,000 accounts has 100. */
const MAX_CODES = 128;

const READER_OPTIONS = {
  formats: ['QRCode' as const],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: MAX_CODES,
};

/**
 * The texts of the QR codes found in a PNG, JPEG or WebP file, in the order the decoder found them, duplicates removed;
 * none found gives an empty list. PNG and JPEG go to zxing-wasm's own image reader; WebP, which that reader lacks, is
 * decoded to pixels by libwebp (webpDecoder.ts) and read as decodeQrPixels reads them. Refused with a QrImageError: a
 * file over MAX_IMAGE_BYTES or declaring over MAX_IMAGE_PIXELS ('too-large', decided from the header before any pixel
 * is decoded), not PNG, JPEG or WebP, or an animated WebP ('unsupported-format'), a header that does not parse or a file
 * that does not decode ('damaged'), a code whose text exceeds MAX_QR_TEXT_BYTES ('text-too-long'). The texts may be
 * secrets.
 */
export async function decodeQrImage(data: Uint8Array): Promise<string[]> {
  if (data.byteLength > MAX_IMAGE_BYTES)
    throw new QrImageError(
      'too-large',
      `the image file has ${data.byteLength} bytes, expected at most ${MAX_IMAGE_BYTES} (50 MB)`,
    );
  const header = readImageHeader(data);
  checkPixels(header.width, header.height);
  const large = header.width * header.height > PURGE_ABOVE_PIXELS;
  if (header.type === 'webp') {
    const pixels = await decodeWebp(data, { purge: large });
    try {
      return await decodeQrPixels(pixels);
    } finally {
      // The pixels show the code, and so its secret, to anyone who reads the memory later.
      pixels.data.fill(0);
    }
  }
  return texts(await readWithZxing(data, READER_OPTIONS, large));
}

/**
 * The same from RGBA pixels (ImageData, 4 bytes a pixel), within the same bounds: a picture a browser decoded (a pasted
 * image, a canvas) or a WebP file's pixels.
 */
export async function decodeQrPixels(image: {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}): Promise<string[]> {
  const { data, width, height } = image;
  checkPixels(width, height);
  if (!Number.isInteger(width) || !Number.isInteger(height) || data.length !== width * height * 4)
    throw new QrImageError(
      'damaged',
      `the pixels are ${data.length} bytes, expected 4 per pixel of ${width} x ${height}`,
    );
  return texts(await readWithZxing(image, READER_OPTIONS, width * height > PURGE_ABOVE_PIXELS));
}

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS)
    throw new QrImageError(
      'too-large',
      `the image declares ${width} x ${height} pixels (${Math.round((width * height) / 1e6)} megapixels), expected at most ${MAX_IMAGE_PIXELS / 1e6} megapixels: crop or shrink it to the QR code`,
    );
}

function texts(results: readonly { isValid: boolean; text: string; bytes: Uint8Array }[]): string[] {
  const found: string[] = [];
  for (const result of results) {
    if (!result.isValid) continue;
    const size = Math.max(result.bytes.length, Buffer.byteLength(result.text, 'utf8'));
    if (size > MAX_QR_TEXT_BYTES)
      throw new QrImageError(
        'text-too-long',
        `a QR code in the image holds ${size} bytes, expected at most ${MAX_QR_TEXT_BYTES}: no account needs that much`,
      );
    if (!found.includes(result.text)) found.push(result.text);
  }
  return found;
}
