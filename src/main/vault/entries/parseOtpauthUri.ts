// Reads an otpauth:// URI (Google's Key Uri Format, plus Steam as Aegis writes it) into checked entry fields.

import { checkEntry, type EntryInput } from './checkEntry.js';
import { quoteValue } from './quoteValue.js';
import type { VaultEntryFields } from './vaultEntry.js';
import { VaultEntryError } from './VaultEntryError.js';

/** A QR code holds a few hundred characters; a longer paste is something else. */
const MAX_URI_LENGTH = 4096;

const TYPES: Record<string, VaultEntryFields['otp_type']> = { totp: 'totp', hotp: 'hotp', steam: 'steamtotp' };

/**
 * The entry fields a URI describes, checked by checkEntry (so a bad `digits=0` is refused as `digits`). The label is
 * `Issuer:account` or `account`; the `issuer` parameter, when present, is the service (it survives label encodings
 * that mangle the colon). Without any issuer the label is the service and the account is empty. `otpauth://steam/`
 * (Aegis) and `otpauth://totp/...&encoder=steam` (KeeOTP, andOTP) both read as steamtotp. Defaults as checkEntry's.
 * Messages never quote the URI: it carries the secret.
 */
export function parseOtpauthUri(uri: unknown): VaultEntryFields {
  if (typeof uri !== 'string' || uri.trim() === '')
    throw new VaultEntryError('uri', 'missing', `expected an otpauth:// URI, found ${quoteValue(typeof uri)}`);
  if (uri.length > MAX_URI_LENGTH)
    throw new VaultEntryError(
      'uri',
      'out-of-range',
      `the URI has ${uri.length} characters, expected at most ${MAX_URI_LENGTH}`,
    );
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new VaultEntryError(
      'uri',
      'unparseable',
      'the text is not a URI: expected otpauth://totp/Issuer:account?secret=...',
    );
  }
  if (url.protocol !== 'otpauth:')
    throw new VaultEntryError(
      'uri',
      'unsupported',
      `the URI scheme is ${quoteValue(url.protocol.slice(0, -1))}, expected "otpauth"`,
    );
  const host = url.hostname.toLowerCase();
  let otpType = TYPES[host];
  if (otpType === undefined)
    throw new VaultEntryError(
      'otp_type',
      'unsupported',
      `the otpauth type is ${quoteValue(host)}, expected totp, hotp or steam`,
    );
  const params = url.searchParams;
  if (params.get('encoder')?.toLowerCase() === 'steam') otpType = 'steamtotp';

  let label: string;
  try {
    label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    throw new VaultEntryError('uri', 'unparseable', 'the URI label has a broken %-escape');
  }
  const colon = label.indexOf(':');
  const labelIssuer = colon >= 0 ? label.slice(0, colon).trim() : '';
  const labelAccount = (colon >= 0 ? label.slice(colon + 1) : label).trim();
  const issuer = params.get('issuer')?.trim() || labelIssuer;
  const service = issuer || labelAccount;
  const account = issuer ? labelAccount : '';

  if (otpType === 'hotp' && !params.has('counter'))
    throw new VaultEntryError('counter', 'missing', 'an otpauth://hotp URI needs a counter parameter');
  const input: EntryInput = {
    otp_type: otpType,
    service,
    account,
    secret: params.get('secret') ?? undefined,
    algorithm: params.get('algorithm') ?? undefined,
    digits: params.get('digits') ?? undefined,
    period: otpType === 'hotp' ? undefined : (params.get('period') ?? undefined),
    counter: otpType === 'hotp' ? (params.get('counter') ?? undefined) : undefined,
  };
  return checkEntry(input);
}
