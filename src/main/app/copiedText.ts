// Remembers what Latchkey put on the clipboard (as a digest, not the code) and decides whether it may take it off.

import { createHash, timingSafeEqual } from 'node:crypto';

/** A SHA-256 digest of text copied to the clipboard: enough to recognise it later without keeping the code. */
export type CopiedFingerprint = Uint8Array;

export function fingerprintCopied(text: string): CopiedFingerprint {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

export interface ShouldClearClipboardOptions {
  /** What the clipboard holds now (its text). */
  current: string;
  /** The fingerprint of what Latchkey wrote, or undefined when it wrote nothing or already cleared it. */
  copied: CopiedFingerprint | undefined;
}

/**
 * Clear only if the clipboard still holds exactly what Latchkey copied: a person who copied something else since
 * keeps it. An empty clipboard needs no clearing.
 */
export function shouldClearClipboard(options: ShouldClearClipboardOptions): boolean {
  if (options.copied === undefined || options.current === '') return false;
  return timingSafeEqual(fingerprintCopied(options.current), options.copied);
}
