// Which export formats are encrypted with a password (the others are plain text anyone can read).

import type { EXPORT_KINDS } from '../../ipc/contract';

type ExportKind = (typeof EXPORT_KINDS)[number];

// docs/export-formats.md: Latchkey's own file and Aegis's vault are encrypted; 2FAuth JSON, Aegis plain, otpauth
// text and QR pictures hold the secrets as they are.
const ENCRYPTED: ReadonlySet<ExportKind> = new Set(['latchkey', 'aegis']);

export function isEncryptedExport(kind: ExportKind): boolean {
  return ENCRYPTED.has(kind);
}
