// The canonical form of an email address, the WebAuthn user name and sign-in identifier, and its validation.

import { RelyingPartyError } from '../RelyingPartyError.js';

const MAX_LENGTH = 254; // RFC 5321 section 4.5.3.1.3, less the angle brackets
const LOCAL_PART = /^[^\s@"(),:;<>[\\\]]{1,64}$/;
const DOMAIN =
  /^(?=.{1,253}$)[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+$/u;

/**
 * Trimmed, NFC-normalised and lower-cased as a whole: providers treat addresses case-insensitively in practice, and one
 * person must not end up with two accounts because of a capital letter (Ory Kratos lower-cases email identifiers too).
 * Throws `email-invalid` naming what is wrong.
 */
export function normalizeEmail(input: string): string {
  const email = input.trim().normalize('NFC').toLowerCase();
  const at = email.lastIndexOf('@');
  if (at < 0) throw new RelyingPartyError('email-invalid', `"${input}" is not an email address: it has no @`);
  if (email.length > MAX_LENGTH)
    throw new RelyingPartyError(
      'email-invalid',
      `the email address has ${email.length} characters, at most ${MAX_LENGTH} are allowed`,
    );
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local)) {
    throw new RelyingPartyError(
      'email-invalid',
      `"${input}" is not an email address: the part before @ must be 1 to 64 characters without spaces, quotes or brackets`,
    );
  }
  if (!DOMAIN.test(domain)) {
    throw new RelyingPartyError(
      'email-invalid',
      `"${input}" is not an email address: "${domain}" is not a domain name such as example.com`,
    );
  }
  return email;
}
