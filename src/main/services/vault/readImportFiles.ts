// Reads the files a person picked for an import: QR pictures decoded to their texts, everything read as one import.

import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeQrImage, imageTypeOf, MAX_IMAGE_BYTES } from '../../vault/transfer/qr/index.js';
import {
  ImportError,
  MAX_IMPORT_BYTES,
  readImport,
  type ImportFormat,
  type ParsedImport,
} from '../../vault/transfer/import/index.js';

export interface ReadImportFilesOptions {
  format?: ImportFormat | 'auto';
  /** Asked for an encrypted file, with its name. The bytes are zeroed once tried. */
  password?: (file: string) => Promise<Uint8Array | undefined>;
}

/** Reads at most `limit` bytes and refuses a bigger file before reading it whole (a 50 MB "export"). */
async function readCapped(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit)
      throw new ImportError(
        'too-large',
        `${basename(path)} is ${Math.ceil(size / 1024 / 1024)} MB; an import file is at most ${limit / 1024 / 1024} MB`,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * The import of `paths`, in order. Pictures become the texts of their QR codes, and those texts and any text file of
 * URIs are read together, so the several QR codes of one Google Authenticator transfer join whichever files they came
 * in; every other file (an app's JSON export) is read on its own. Each entry's and refusal's source names its file.
 */
export async function readImportFiles(
  paths: readonly string[],
  options: ReadImportFilesOptions = {},
): Promise<ParsedImport> {
  const files: ImportFileData[] = [];
  for (const path of paths)
    files.push({ name: basename(path), data: await readCapped(path, Math.max(MAX_IMPORT_BYTES, MAX_IMAGE_BYTES)) });
  return readImportData(files, options);
}

/** A file's name and bytes, as a window hands them over (a picked or dropped file). */
export interface ImportFileData {
  name: string;
  data: Uint8Array;
}

/** readImportFiles on bytes already read: the same rules, the same sources named by file. */
export async function readImportData(
  files: readonly ImportFileData[],
  options: ReadImportFilesOptions = {},
): Promise<ParsedImport> {
  const uris: { file: string; text: string }[] = [];
  const results: ParsedImport[] = [];
  for (const file of files) {
    const name = file.name;
    const head = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    if (head.length > Math.max(MAX_IMPORT_BYTES, MAX_IMAGE_BYTES))
      throw new ImportError(
        'too-large',
        `${name} is over ${MAX_IMAGE_BYTES / 1024 / 1024} MB, the most an import reads`,
      );
    // A picture of QR codes is told by its first bytes, whatever its name says.
    if (imageTypeOf(head) !== undefined) {
      const texts = await decodeQrImage(head);
      if (texts.length === 0)
        throw new ImportError('unknown-format', `${name} is a picture, but no QR code was found in it`);
      uris.push({ file: name, text: texts.join('\n') });
      continue;
    }
    if (head.length > MAX_IMPORT_BYTES)
      throw new ImportError(
        'too-large',
        `${name} is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most an import reads`,
      );
    const text = head.toString('utf8');
    if (/^\s*otpauth(-migration)?:\/\//i.test(text)) {
      uris.push({ file: name, text });
      continue;
    }
    const parsed = await inFile(name, files.length, () =>
      readImport(head, {
        ...(options.format === undefined ? {} : { format: options.format }),
        ...(options.password === undefined ? {} : { password: () => options.password!(name) }),
      }),
    );
    results.push(named(parsed, name));
  }
  if (uris.length > 0) {
    const joined = Buffer.from(uris.map((u) => u.text.trim()).join('\n'), 'utf8');
    const parsed = await readImport(joined, options.format === undefined ? {} : { format: options.format });
    results.unshift(named(parsed, uris.map((u) => u.file).join(', ')));
  }
  return {
    format: results[0]?.format ?? 'otpauth',
    entries: results.flatMap((r) => r.entries),
    notImported: results.flatMap((r) => r.notImported),
  };
}

/**
 * The import of the QR codes shown on screen, from a picture of each screen: every picture is decoded once, codes that
 * are not otpauth URIs (a web link, a Wi-Fi code) are passed over, and what is left is read as one import, so the parts
 * of a Google Authenticator transfer shown side by side join up. No otpauth code on any screen is an ImportError.
 */
export async function readScreenImport(screens: readonly Uint8Array[]): Promise<ParsedImport> {
  const texts: string[] = [];
  for (const screen of screens) {
    for (const text of await decodeQrImage(screen)) if (/^\s*otpauth(-migration)?:\/\//i.test(text)) texts.push(text);
  }
  if (texts.length === 0)
    throw new ImportError(
      'unknown-format',
      'no QR code of an account was found on screen: show it whole, not covered by this window, and scan again',
    );
  return readImportData([{ name: 'the screen', data: Buffer.from(texts.join('\n'), 'utf8') }]);
}

/** With several files, a refusal says which one it is about. */
async function inFile<T>(name: string, files: number, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (files > 1 && error instanceof ImportError) throw new ImportError(error.reason, `${name}: ${error.message}`);
    throw error;
  }
}

function named(parsed: ParsedImport, file: string): ParsedImport {
  return {
    ...parsed,
    entries: parsed.entries.map((e) => ({ ...e, source: `${file}: ${e.source}` })),
    notImported: parsed.notImported.map((n) => ({ ...n, source: `${file}: ${n.source}` })),
  };
}
