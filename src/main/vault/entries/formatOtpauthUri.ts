// Writes an entry as an otpauth:// URI (for a QR code or an export) that parseOtpauthUri reads back to the same fields.

import type { VaultEntryFields } from './vaultEntry.js';

const HOSTS: Record<VaultEntryFields['otp_type'], string> = { totp: 'totp', hotp: 'hotp', steamtotp: 'steam' };

/**
 * `otpauth://totp/Service:account?secret=...&issuer=Service&algorithm=SHA1&digits=6&period=30`. The label always
 * carries the `Service:` prefix (even before an empty account) and the issuer parameter repeats it, as Google's Key
 * Uri Format recommends. Steam entries use Aegis's `otpauth://steam/` with `encoder=steam` for apps that only know
 * totp. The result holds the secret: it is for an explicit export or reveal only.
 */
export function formatOtpauthUri(entry: VaultEntryFields): string {
  const e = encodeURIComponent;
  const params = [`secret=${entry.secret}`, `issuer=${e(entry.service)}`];
  if (entry.otp_type === 'steamtotp') params.push('encoder=steam');
  else {
    params.push(`algorithm=${entry.algorithm.toUpperCase()}`, `digits=${entry.digits}`);
    if (entry.otp_type === 'hotp') params.push(`counter=${entry.counter ?? 0}`);
    else params.push(`period=${entry.period ?? 30}`);
  }
  return `otpauth://${HOSTS[entry.otp_type]}/${e(entry.service)}:${e(entry.account)}?${params.join('&')}`;
}
