import { deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  decodeQrImage,
  decodeQrPixels,
  googleMigrationUris,
  MAX_IMAGE_PIXELS,
  QrImageError,
  qrPng,
  qrSvg,
} from '../../../../../src/main/vault/transfer/qr/index.js';
import { makeEntry } from '../../entries/entryFixtures.js';
import { photographedPixels, pngOf } from './photographedQr.js';

const URI = 'otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub';
const OTHER = 'otpauth://hotp/Bank:bob?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Bank&counter=3';

/** Rejects with the QrImageError's reason and message, or fails the test. */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QrImageError);
  return error as QrImageError;
}

/** A PNG of the given declared size whose pixel data is a few bytes: the header is all a decoder may look at. */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64 * 1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(() => {
  // The decoder must load its .wasm from the package, never from a CDN: any fetch fails the test.
  vi.stubGlobal('fetch', () => {
    throw new Error('the QR decoder tried to fetch over the network');
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('qrPng and qrSvg', () => {
  it('a PNG made by the encoder decodes back to its text, offline', async () => {
    const png = await qrPng(URI);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(await decodeQrImage(png)).toEqual([URI]);
  });

  it('Google Authenticator transfer codes decode back to their URIs', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => makeEntry({ service: `Service ${i}`, account: 'ünïcødé' }));
    const uris = googleMigrationUris(entries);
    expect(uris).toHaveLength(2);
    for (const uri of uris) expect(await decodeQrImage(await qrPng(uri))).toEqual([uri]);
  });

  it('an SVG is a standalone document', async () => {
    const svg = await qrSvg(URI);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<path');
  });

  it('refuses a text longer than the decoder would read back', async () => {
    await expect(qrPng(`otpauth://totp/x?secret=${'A'.repeat(4100)}`)).rejects.toThrow(
      /has 4124 bytes, expected at most 4096/,
    );
  });
});

describe('decodeQrImage', () => {
  it('reads a photographed-style picture: scaled, rotated, blurred, unevenly lit and noisy', async () => {
    const image = photographedPixels({
      width: 420,
      height: 380,
      noise: 30,
      codes: [{ text: URI, x: 210, y: 190, scale: 5.3, angle: 17 }],
    });
    expect(await decodeQrImage(pngOf(image))).toEqual([URI]);
  });

  it('reads several codes in one picture, and from RGBA pixels as the desktop app passes them', async () => {
    const image = photographedPixels({
      width: 640,
      height: 320,
      noise: 20,
      codes: [
        { text: URI, x: 160, y: 160, scale: 4.6, angle: -8 },
        { text: OTHER, x: 480, y: 160, scale: 4.2, angle: 24 },
      ],
    });
    expect((await decodeQrImage(pngOf(image))).sort()).toEqual([URI, OTHER].sort());
    expect((await decodeQrPixels(image)).sort()).toEqual([URI, OTHER].sort());
  });

  it('finds nothing in a picture without a code', async () => {
    const blank = photographedPixels({ width: 64, height: 64, noise: 10, codes: [] });
    expect(await decodeQrImage(pngOf(blank))).toEqual([]);
  });

  it('refuses a PNG bomb from its header, before decoding, in bounded memory', async () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.length).toBeLessThan(1024);
    const before = process.memoryUsage();
    const error = await refusal(decodeQrImage(bomb));
    const after = process.memoryUsage();
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(
      /declares 100000 x 100000 pixels \(10000 megapixels\), expected at most 40 megapixels/,
    );
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
    // Just over the bound is refused too: the limit is the stated one.
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
    expect((await refusal(decodeQrImage(pngBomb(side, side)))).reason).toBe('too-large');
  });

  it('refuses a JPEG that declares too many pixels, from its start-of-frame marker', async () => {
    const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x23, 0x28, 0x23, 0x28, 0x03]);
    const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(12), Buffer.from([0xff, 0xd9])]);
    const error = await refusal(decodeQrImage(jpeg));
    expect(error).toMatchObject({ reason: 'too-large' });
    expect(error.message).toMatch(/9000 x 9000 pixels/);
  });

  it('refuses a code whose text is over 4 KB, with the reason', async () => {
    // 4,200 characters of QR's alphanumeric set (no ? or =) fit a version 40 code; Latchkey's encoder would refuse them.
    const long = `OTPAUTH://TOTP/X/${'A'.repeat(4183)}`;
    const png = await QRCode.toBuffer([{ data: long, mode: 'alphanumeric' }], { errorCorrectionLevel: 'L', scale: 3 });
    const error = await refusal(decodeQrImage(png));
    expect(error.reason).toBe('text-too-long');
    expect(error.message).toMatch(/holds 4200 bytes, expected at most 4096/);
    expect(error.message).not.toContain('AAAA');
  });

  it('refuses other files and a damaged header, each with its reason (WebP: webpImages.test.ts)', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    expect(await refusal(decodeQrImage(gif))).toMatchObject({
      reason: 'unsupported-format',
      message: expect.stringMatching(/not a PNG, JPEG or WebP image \(it starts with 47494638\)/),
    });
    const truncated = (await qrPng(URI)).subarray(0, 20);
    expect(await refusal(decodeQrImage(truncated))).toMatchObject({ reason: 'damaged' });
  });

  it('refuses a file over 50 MB before reading it', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024 + 1);
    expect(await refusal(decodeQrImage(huge))).toMatchObject({ reason: 'too-large' });
  });
});
