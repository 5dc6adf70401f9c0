// Small byte-array helpers shared across the library (no Buffer in public types, so browsers could use them too).

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new TypeError(`not a hex string: ${hex.slice(0, 16)}...`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function fromBase64Url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/**
 * A copy that owns its memory, as a plain Uint8Array. Never `x.slice()` for this: on a Node Buffer (what node:crypto
 * returns) slice() is a view, so zeroing the "copy" would wipe the caller's bytes.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/**
 * Overwrites secrets in place; call on every exit path (libfido2's explicit_bzero discipline). Absent buffers are
 * skipped, so a `finally` can pass ones an early failure never made. Strings cannot be zeroed: keep secrets as bytes.
 */
export function zeroize(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** Formats a 16-byte AAGUID as the usual 8-4-4-4-12 UUID text. */
export function formatAaguid(aaguid: Uint8Array): string {
  const h = toHex(aaguid);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
