// Encodes test pictures as WebP with @jsquash/webp's libwebp encoder, offline, and reads qrPng's PNGs back to pixels.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defaultOptions } from '@jsquash/webp/meta.js';
import { PNG } from 'pngjs';

interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

interface WebpEncoderModule {
  encode(data: Uint8ClampedArray, width: number, height: number, options: typeof defaultOptions): Uint8Array | null;
}

let encoder: Promise<WebpEncoderModule> | undefined;

/**
 * The encoder's glue installs a global ImageData in Node for good when none exists; the tests check that decoding
 * leaves none behind, so the encoder gets one only while its glue runs, and it is removed after.
 */
function loadEncoder(): Promise<WebpEncoderModule> {
  encoder ??= (async () => {
    const require = createRequire(import.meta.url);
    const file = await readFile(require.resolve('@jsquash/webp/codec/enc/webp_enc.wasm'));
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const factory = (await import('@jsquash/webp/codec/enc/webp_enc.js')).default as unknown as (overrides: {
      noInitialRun: boolean;
      wasmBinary: ArrayBuffer;
    }) => Promise<WebpEncoderModule>;
    const scope = globalThis as { ImageData?: unknown };
    const had = 'ImageData' in scope;
    scope.ImageData ??= class {};
    let started: Promise<WebpEncoderModule>;
    try {
      // The glue looks for ImageData synchronously, when called.
      started = factory({ noInitialRun: true, wasmBinary });
    } finally {
      if (!had) delete scope.ImageData;
    }
    return started;
  })();
  return encoder;
}

/** A WebP of the pixels: lossless, or lossy at the given quality (libwebp's default is 75). */
export async function webpOf(image: Pixels, options: { lossless?: boolean; quality?: number } = {}): Promise<Buffer> {
  const module = await loadEncoder();
  const webp = module.encode(image.data, image.width, image.height, {
    ...defaultOptions,
    lossless: options.lossless ? 1 : 0,
    quality: options.quality ?? defaultOptions.quality,
  });
  if (webp === null) throw new Error(`libwebp could not encode ${image.width} x ${image.height} pixels`);
  return Buffer.from(webp);
}

/** The RGBA pixels of a PNG (qrPng's), as a browser's ImageData would hold them. */
export function pixelsOfPng(png: Buffer): Pixels {
  const { data, width, height } = PNG.sync.read(png);
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height };
}
