// The import library's public API: read a file of any supported format, then preview it against the vault.

export { readImport, MAX_IMPORT_BYTES, type ReadImportOptions } from './readImport.js';
export {
  previewImport,
  type DuplicateReason,
  type ExistingEntry,
  type ImportDuplicate,
  type ImportPreview,
} from './previewImport.js';
export { ImportError, type ImportErrorReason } from './ImportError.js';
export {
  IMPORT_FORMATS,
  IMPORT_FORMAT_NAMES,
  type ImportedEntry,
  type ImportFormat,
  type NotImported,
  type ParsedImport,
} from './importTypes.js';
