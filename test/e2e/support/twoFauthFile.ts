// A 2FAuth export file written for the import tests, in the layout of docs/export-formats.md (2FAuth schema 1).

/** A 2FAuth export (schema 1, as docs/export-formats.md describes it) of these entries. */
export function twoFauthFile(
  entries: { service: string; account: string; secret: string; otpType?: string }[],
): Buffer {
  const data = entries.map((e) => ({
    otp_type: e.otpType ?? 'totp',
    account: e.account,
    service: e.service,
    icon: null,
    icon_mime: null,
    icon_file: null,
    secret: e.secret,
    digits: e.otpType === 'steamtotp' ? 5 : 6,
    algorithm: 'sha1',
    period: 30,
    counter: null,
    legacy_uri: `otpauth://totp/${encodeURIComponent(`${e.service}:${e.account}`)}?issuer=${encodeURIComponent(e.service)}&secret=${e.secret}`,
  }));
  return Buffer.from(JSON.stringify({ app: '2fauth_v5.4.3', schema: 1, datetime: new Date().toISOString(), data }));
}
