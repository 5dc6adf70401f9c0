// Who a card says issued it, from its ATR (card issuer's data, ISO/IEC 7816-4 section 8.1.1.2.5), and the labels that earns.

import { parseAtr } from '../../../ctap/index.js';

/** Compact-TLV tag 5: card issuer's data. */
const ISSUER_TAG = 0x5;
/** Category indicators: 0x80 = compact-TLV objects only; 0x00 = compact-TLV objects then three status bytes. */
const CATEGORY_TLV = 0x80;
const CATEGORY_TLV_THEN_STATUS = 0x00;

/**
 * Issuers whose cards are named after them rather than only after the model their AAGUID claims. Latchkey's own
 * virtual card carries a real key's AAGUID for demos and tests; saying what it is keeps it from being taken for one.
 */
export const KNOWN_CARD_ISSUERS: ReadonlyMap<string, string> = new Map([['Latchkey', 'Latchkey virtual card']]);

/**
 * The issuer's data of the ATR's historical bytes as text (a YubiKey 5 NFC says "YubiKey"); undefined when the ATR
 * cannot be parsed, its historical bytes are not compact-TLV, or the data is not printable ASCII.
 */
export function atrIssuer(atr: Uint8Array): string | undefined {
  let historical: Uint8Array;
  try {
    historical = parseAtr(atr).historicalBytes;
  } catch {
    return undefined;
  }
  const category = historical[0];
  if (category !== CATEGORY_TLV && category !== CATEGORY_TLV_THEN_STATUS) return undefined;
  const end = category === CATEGORY_TLV_THEN_STATUS ? historical.length - 3 : historical.length;
  for (let at = 1; at < end;) {
    const tag = historical[at]! >> 4;
    const length = historical[at]! & 0x0f;
    // An object cut short ends the walk: nothing after it can be trusted.
    if (at + 1 + length > end) return undefined;
    const value = historical.subarray(at + 1, at + 1 + length);
    if (tag === ISSUER_TAG)
      return value.length > 0 && value.every((b) => b >= 0x20 && b < 0x7f) ? String.fromCharCode(...value) : undefined;
    at += 1 + length;
  }
  return undefined;
}

/** What to call a card by its issuer, when the issuer is one cards are named after; else undefined. */
export function cardLabel(atr: Uint8Array): string | undefined {
  const issuer = atrIssuer(atr);
  return issuer === undefined ? undefined : KNOWN_CARD_ISSUERS.get(issuer);
}
