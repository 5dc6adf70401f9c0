// The ATR of Latchkey's virtual card: shaped like a real contactless FIDO key's (a YubiKey 5 NFC states its capabilities
// the same way), so clients read what it can do from it, and named so Latchkey never passes it off as hardware.

import { compactTlvObjects, contactlessAtr, parseAtr } from '../../nfc/atr.js';
import { equalBytes } from '../../bytes.js';

/** Compact-TLV tag 5, "card issuer's data" (ISO/IEC 7816-4 section 8.1.1.2.5), holding this name. */
const ISSUER_TAG = 0x5;
const ISSUER = new TextEncoder().encode('Latchkey');

/**
 * Category 0x80 (compact-TLV), card capabilities (tag 7: selection by full DF name, data coding byte 0x21, and a third
 * byte saying command chaining and, when the card takes them, extended Lc/Le), then the issuer name (tag 5).
 */
export function virtualCardAtr(opts: { extendedApdu: boolean }): Uint8Array {
  const thirdByte = 0x80 | (opts.extendedApdu ? 0x40 : 0);
  return contactlessAtr(Uint8Array.of(0x80, 0x73, 0x80, 0x21, thirdByte, (ISSUER_TAG << 4) | ISSUER.length, ...ISSUER));
}

/** Whether `atr` is one of Latchkey's virtual cards (whatever capabilities it states); false for anything unparseable. */
export function isVirtualCardAtr(atr: Uint8Array): boolean {
  try {
    const { historicalBytes } = parseAtr(atr);
    return compactTlvObjects(historicalBytes).some((o) => o.tag === ISSUER_TAG && equalBytes(o.value, ISSUER));
  } catch {
    return false;
  }
}
