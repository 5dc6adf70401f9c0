// Decodes a WebP file to RGBA pixels with @jsquash/webp's libwebp build, its .wasm read from the package's own files.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { QrImageError } from './QrImageError.js';

/** RGBA pixels, 4 bytes a pixel, as a browser's ImageData holds them. */
export interface RgbaPixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The part of the Emscripten module that is used: libwebp's WebPDecodeRGBA behind embind, null when it fails. */
interface WebpDecoderModule {
  decode(data: Uint8Array): RgbaPixels | null;
}

type WebpDecoderFactory = (overrides: { noInitialRun: boolean; wasmBinary: ArrayBuffer }) => Promise<WebpDecoderModule>;

/**
 * The codec's own glue, not the package's `decode()`: that one keeps a module for the process's life, so its memory
 * (grown to hold the largest picture) could never be given back, and it would look for the .wasm beside its script URL.
 * `wasmBinary` hands Emscripten the bytes, so nothing is fetched.
 */
let loaded: Promise<WebpDecoderModule> | undefined;

function load(): Promise<WebpDecoderModule> {
  loaded ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    const file = await readFile(wasmPath);
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const factory = (await import('@jsquash/webp/codec/dec/webp_dec.js')).default as unknown as WebpDecoderFactory;
    return withImageData(() => factory({ noInitialRun: true, wasmBinary }));
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

/** What the decoder builds its result with: a plain record of the pixels. */
class PixelRecord implements RgbaPixels {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

/**
 * Runs `run` with a global ImageData, which the codec's glue looks up (at start-up, and by name at each decode) and
 * which Node lacks. Left alone, the glue would install its own for good; here it exists only while `run` runs, which is
 * synchronous, so no other code can see it. Where ImageData exists (a renderer), it is used as it is.
 */
function withImageData<T>(run: () => T): T {
  const scope = globalThis as { ImageData?: unknown };
  if (scope.ImageData !== undefined) return run();
  scope.ImageData = PixelRecord;
  try {
    return run();
  } finally {
    delete scope.ImageData;
  }
}

export interface DecodeWebpOptions {
  /**
   * Drop the module after this picture: a WebAssembly memory never shrinks, so after a large picture it would keep its
   * size for the process's life. The next decode instantiates it again from the same local bytes. Default false.
   */
  purge?: boolean;
}

/**
 * The pixels of a still WebP (lossy, lossless, with or without alpha; the first frame's size must already be bounded
 * by the caller from the header). A file libwebp cannot decode is a QrImageError('damaged'). The pixels are a copy
 * owned by the caller, who should zero them once read: they may show a secret.
 */
export async function decodeWebp(data: Uint8Array, options: DecodeWebpOptions = {}): Promise<RgbaPixels> {
  const module = await load();
  let pixels: RgbaPixels | null;
  try {
    pixels = withImageData(() => module.decode(data));
  } catch (error) {
    // A trap (an abort, memory exhausted) leaves the module's state undefined: the next picture gets a fresh one.
    loaded = undefined;
    throw new QrImageError(
      'damaged',
      `the WebP image could not be decoded (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    if (options.purge) loaded = undefined;
  }
  if (pixels === null)
    throw new QrImageError(
      'damaged',
      `the WebP image's ${data.byteLength} bytes do not decode: it is cut short or its image data is damaged`,
    );
  return { data: pixels.data, width: pixels.width, height: pixels.height };
}
