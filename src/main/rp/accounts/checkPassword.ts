// The rules a password must meet, checked on its UTF-8 bytes so that no uncleanable string copy of it is made.

import { RelyingPartyError } from '../RelyingPartyError.js';

/** NIST SP 800-63B section 5.1.1.2: at least 8 characters for a memorised secret the user chose. */
export const MIN_PASSWORD_LENGTH = 8;
/**
 * NIST SP 800-63B asks to allow at least 64; 1,024 leaves room for any passphrase a password manager makes, while a
 * megabyte of "password" is refused before it is hashed (scrypt's PBKDF2 passes read all of it).
 */
export const MAX_PASSWORD_LENGTH = 1024;

// What JavaScript's \s matches (ECMA-262 WhiteSpace and LineTerminator), as code points.
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

/** A new password (sign-up, a change): 8 to 1,024 characters, not whitespace alone. */
export function checkNewPassword(password: Uint8Array): void {
  const { length, blank } = measure(password);
  if (length < MIN_PASSWORD_LENGTH) {
    throw new RelyingPartyError(
      'password-too-short',
      `the password has ${length} characters, at least ${MIN_PASSWORD_LENGTH} are needed`,
    );
  }
  checkLength(length);
  if (blank)
    throw new RelyingPartyError(
      'password-blank',
      `the password is ${length} spaces or other blank characters, expected some visible ones`,
    );
}

/** A password typed to sign in: only the upper bound, which says nothing about any account. */
export function checkPasswordLength(password: Uint8Array): void {
  checkLength(measure(password).length);
}

function checkLength(length: number): void {
  if (length > MAX_PASSWORD_LENGTH) {
    throw new RelyingPartyError(
      'password-too-long',
      `the password has ${length} characters, at most ${MAX_PASSWORD_LENGTH} are allowed`,
    );
  }
}

/** Code points (every byte but UTF-8 continuation bytes) and whether all of them are whitespace. */
function measure(bytes: Uint8Array): { length: number; blank: boolean } {
  let length = 0;
  let blank = true;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    length++;
    if (blank && !WHITESPACE.has(codePointAt(bytes, i))) blank = false;
  }
  return { length, blank };
}

/** The code point whose UTF-8 encoding starts at `i` (input from secretBytes is well-formed UTF-8). */
function codePointAt(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  const size = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  let point = size === 1 ? lead : lead & (0x7f >> size);
  for (let k = 1; k < size; k++) point = (point << 6) | ((bytes[i + k] ?? 0) & 0x3f);
  return point;
}
