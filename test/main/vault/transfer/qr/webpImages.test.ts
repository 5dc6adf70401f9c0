import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeQrImage, QrImageError, qrPng } from '../../../../../src/main/vault/transfer/qr/index.js';
import { decodeWebp } from '../../../../../src/main/vault/transfer/qr/webpDecoder.js';
import { photographedPixels } from './photographedQr.js';
import { pixelsOfPng, webpOf } from './webpOf.js';

const URI = 'otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub';

/** Rejects with the QrImageError's reason and message, or fails the test. */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QrImageError);
  return error as QrImageError;
}

function chunk(tag: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(tag, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks]);
  const header = Buffer.from('RIFF\0\0\0\0', 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** An extended file's VP8X chunk: flags, then the canvas size minus one in 24 bits each. */
function vp8x(width: number, height: number, flags = 0): Buffer {
  const body = Buffer.alloc(10);
  body[0] = flags;
  body.writeUIntLE(width - 1, 4, 3);
  body.writeUIntLE(height - 1, 7, 3);
  return chunk('VP8X', body);
}

/** A lossless chunk's first bytes, declaring a size: the header is all a decoder may look at. */
function vp8l(width: number, height: number): Buffer {
  const body = Buffer.alloc(16);
  body[0] = 0x2f;
  body.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  return chunk('VP8L', body);
}

/** The chunks after a simple file's RIFF header (from "VP8 " or "VP8L" on). */
const chunksOf = (webp: Buffer) => webp.subarray(12);

let qrPixels: ReturnType<typeof pixelsOfPng>;

beforeAll(async () => {
  // Both codecs must load their .wasm from the package, never over the network: any fetch fails the test.
  vi.stubGlobal('fetch', () => {
    throw new Error('a decoder tried to fetch over the network');
  });
  qrPixels = pixelsOfPng(await qrPng(URI));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('decodeQrImage on WebP', () => {
  it('a QR code drawn by qrPng and saved as lossless WebP decodes back to its text, offline', async () => {
    const webp = await webpOf(qrPixels, { lossless: true });
    expect(webp.toString('latin1', 12, 16)).toBe('VP8L');
    expect(await decodeQrImage(webp)).toEqual([URI]);
  });

  it('reads a lossy WebP, and a photographed-style picture saved as WebP', async () => {
    const lossy = await webpOf(qrPixels, { quality: 50 });
    expect(lossy.toString('latin1', 12, 16)).toBe('VP8 ');
    expect(await decodeQrImage(lossy)).toEqual([URI]);
    const photo = photographedPixels({
      width: 420,
      height: 380,
      noise: 30,
      codes: [{ text: URI, x: 210, y: 190, scale: 5.3, angle: 17 }],
    });
    expect(await decodeQrImage(await webpOf(photo))).toEqual([URI]);
  });

  it('reads an extended WebP (VP8X, with alpha) whose image fits its canvas', async () => {
    const withAlpha = { ...qrPixels, data: qrPixels.data.map((v, i) => (i % 4 === 3 ? 254 : v)) };
    const webp = await webpOf(withAlpha, { lossless: true });
    const extended = riff(vp8x(qrPixels.width, qrPixels.height, 0x10), chunksOf(webp));
    expect(await decodeQrImage(extended)).toEqual([URI]);
  });

  it('leaves no global ImageData behind in Node, where the codec would install one for good', async () => {
    expect(await decodeQrImage(await webpOf(qrPixels, { lossless: true }))).toEqual([URI]);
    expect('ImageData' in globalThis).toBe(false);
  });

  it('decodes again after the module was dropped for a large picture', async () => {
    const webp = await webpOf(qrPixels, { lossless: true });
    const first = await decodeWebp(webp, { purge: true });
    const second = await decodeWebp(webp);
    expect(second).toEqual(first);
    expect([second.width, second.height]).toEqual([qrPixels.width, qrPixels.height]);
  });

  it('refuses a WebP declaring 100000 x 100000 from its header, before decoding, in bounded memory', async () => {
    const bomb = riff(vp8x(100_000, 100_000), chunksOf(await webpOf(qrPixels, { lossless: true })));
    expect(bomb.length).toBeLessThan(4096);
    const before = process.memoryUsage();
    const error = await refusal(decodeQrImage(bomb));
    const after = process.memoryUsage();
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(
      /declares 100000 x 100000 pixels \(10000 megapixels\), expected at most 40 megapixels/,
    );
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
    // A simple lossless file at its largest (16384 x 16384, 268 megapixels) is refused the same way.
    const lossless = await refusal(decodeQrImage(riff(vp8l(16_384, 16_384))));
    expect(lossless).toMatchObject({ reason: 'too-large', message: expect.stringMatching(/16384 x 16384 pixels/) });
  });

  it('refuses a truncated WebP from its RIFF size, with the sizes found', async () => {
    const webp = await webpOf(qrPixels, { lossless: true });
    const cut = webp.subarray(0, Math.floor(webp.length / 2));
    const error = await refusal(decodeQrImage(cut));
    expect(error.reason).toBe('damaged');
    expect(error.message).toBe(
      `the WebP image is cut short: its RIFF header declares ${webp.length} bytes, the file has ${cut.length}`,
    );
    const header = await refusal(decodeQrImage(webp.subarray(0, 16)));
    expect(header).toMatchObject({ reason: 'damaged', message: 'the WebP image is shorter than its header' });
  });

  it('refuses a WebP whose sizes agree but whose image data is cut short, when libwebp fails on it', async () => {
    const webp = await webpOf(qrPixels, { lossless: true });
    const image = chunksOf(webp).subarray(8, 8 + Math.floor((webp.length - 20) / 2));
    const error = await refusal(decodeQrImage(riff(chunk('VP8L', image))));
    expect(error.reason).toBe('damaged');
    expect(error.message).toMatch(/do not decode: it is cut short or its image data is damaged/);
  });

  it('refuses an animated WebP, an image larger than its canvas and a file without image data', async () => {
    const image = chunksOf(await webpOf(qrPixels, { lossless: true }));
    const animated = await refusal(decodeQrImage(riff(vp8x(228, 228, 0x02), image)));
    expect(animated).toMatchObject({ reason: 'unsupported-format', message: expect.stringMatching(/animated WebP/) });
    const overflowing = await refusal(decodeQrImage(riff(vp8x(16, 16), image)));
    expect(overflowing).toMatchObject({
      reason: 'damaged',
      message: `the WebP image has an image of ${qrPixels.width} x ${qrPixels.height} pixels on a canvas of 16 x 16, expected it to fit`,
    });
    const empty = await refusal(decodeQrImage(riff(vp8x(16, 16), chunk('EXIF', Buffer.alloc(7)))));
    expect(empty).toMatchObject({ reason: 'damaged', message: expect.stringMatching(/no VP8 or VP8L chunk/) });
    const unknown = await refusal(decodeQrImage(riff(chunk('VP9 ', Buffer.alloc(12)))));
    expect(unknown).toMatchObject({ reason: 'damaged', message: expect.stringMatching(/"VP9 " chunk, expected VP8/) });
  });
});
