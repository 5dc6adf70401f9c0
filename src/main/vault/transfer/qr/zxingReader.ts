// Loads zxing-wasm's reader with its .wasm read from the package's own files, never from the CDN it defaults to.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader';

type ZxingReader = typeof import('zxing-wasm/reader');

/**
 * zxing-wasm's default locateFile fetches the .wasm from jsDelivr, which an offline desktop cannot reach and which
 * would run code fetched at run time. `wasmBinary` hands Emscripten the bytes, so it fetches nothing; locateFile
 * points at the same file should it ever look.
 */
let loaded:
  Promise<{ reader: ZxingReader; overrides: { wasmBinary: ArrayBuffer; locateFile: () => string } }> | undefined;

function load() {
  loaded ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const file = await readFile(wasmPath);
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const reader = await import('zxing-wasm/reader');
    return { reader, overrides: { wasmBinary, locateFile: () => wasmPath } };
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

/**
 * Reads the codes in an image file or RGBA pixels. After a large picture the module is dropped (`purge`), since a
 * WebAssembly memory never shrinks: the next read instantiates it again, from the same local bytes.
 */
export async function readWithZxing(
  input: Uint8Array | { data: Uint8ClampedArray; width: number; height: number },
  options: ReaderOptions,
  purge: boolean,
): Promise<ReadResult[]> {
  const { reader, overrides } = await load();
  // Same overrides object each time: the module instantiated with it is reused (zxing-wasm compares them shallowly).
  await reader.prepareZXingModule({ overrides, fireImmediately: true });
  try {
    return await reader.readBarcodes(input as Uint8Array, options);
  } finally {
    if (purge) reader.purgeZXingModule();
  }
}
