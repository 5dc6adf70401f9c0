// Reads an import file of any supported format into checked entries and a list of what is not imported, with reasons.

import { decryptAegis } from './decryptAegis.js';
import { detectFormat, unknownFormat, type ImportContent } from './detectFormat.js';
import { ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import { IMPORT_FORMAT_NAMES, type ImportFormat, type ParsedImport } from './importTypes.js';
import { isJsonObject } from './jsonValues.js';
import { parseImportJson } from './parseImportJson.js';
import { checkAegisFile, readAegisDb } from './readAegis.js';
import { readBitwarden } from './readBitwarden.js';
import { readTwoFas } from './readTwoFas.js';
import { readTwoFauth } from './readTwoFauth.js';
import { readUriList } from './readUriList.js';

/**
 * 20 MiB: an Aegis vault of a thousand entries with icons is a few MiB. A larger file is refused before it is
 * decoded or parsed, so memory stays bounded by a small multiple of this.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface ReadImportOptions {
  /** The format, or `auto` (the default) to detect it from the content. A forced format is still checked. */
  format?: ImportFormat | 'auto';
  /**
   * Asked only for an encrypted file (today: encrypted Aegis), at most once; undefined means none given
   * (`password-needed`). The returned bytes are zeroed once tried, so return a copy you can spare.
   */
  password?: () => Promise<Uint8Array | undefined>;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The file's entries, each checked by checkEntry, and what is not imported, each with a sentence naming the field.
 * One bad entry never stops the others; a file that cannot be read at all is an ImportError (and only that: any other
 * exception is a bug). `data` is not modified.
 */
export async function readImport(data: Uint8Array, options: ReadImportOptions = {}): Promise<ParsedImport> {
  if (data.length > MAX_IMPORT_BYTES)
    throw new ImportError(
      'too-large',
      `the file has ${data.length} bytes, more than the ${MAX_IMPORT_BYTES} (${MAX_IMPORT_BYTES / 2 ** 20} MiB) an import reads`,
    );
  const content = readContent(data);
  const detected = detectFormat(content);
  const format = options.format === undefined || options.format === 'auto' ? detected : options.format;
  if (format !== detected && !(format === 'otpauth' && detected === 'ente'))
    throw new ImportError(
      'unknown-format',
      `the file is not ${IMPORT_FORMAT_NAMES[format]} as asked: its content reads as ${IMPORT_FORMAT_NAMES[detected]}`,
    );
  if (content.kind === 'lines') {
    const collector = new ImportCollector();
    readUriList(content.lines, collector);
    return collector.result(format);
  }
  const root = content.value;
  if (!isJsonObject(root)) throw unknownFormat('it is JSON but not an object');
  switch (format) {
    case '2fauth':
      return readTwoFauth(root);
    case 'aegis':
      checkAegisFile(root);
      return readAegisDb(root.db, 'aegis');
    case 'aegis-encrypted':
      checkAegisFile(root);
      return readAegisDb(await decryptAegis(root, options.password), 'aegis-encrypted');
    case '2fas':
      return readTwoFas(root);
    case 'bitwarden':
      return readBitwarden(root);
    default:
      throw unknownFormat(`a JSON file cannot be ${IMPORT_FORMAT_NAMES[format]}`);
  }
}

/** UTF-8 text (a byte-order mark allowed), as JSON when it starts with `{` or `[`, else as lines. */
function readContent(data: Uint8Array): ImportContent {
  let text: string;
  try {
    text = UTF8.decode(data);
  } catch {
    const head = Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw unknownFormat(`it is not UTF-8 text (it starts with the bytes ${head}; QR code images are read elsewhere)`);
  }
  if (/^\s*[{[]/.test(text)) return { kind: 'json', value: parseImportJson(text, 'the file') };
  return { kind: 'lines', lines: text.split(/\r\n|\r|\n/) };
}
