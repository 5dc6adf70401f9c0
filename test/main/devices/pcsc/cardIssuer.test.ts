import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../../src/ctap/bytes.js';
import { contactlessAtr } from '../../../../src/ctap/index.js';
import { virtualCardAtr } from '../../../../src/ctap/virtual/nfc/virtualCardAtr.js';
import { atrIssuer, cardLabel } from '../../../../src/main/devices/pcsc/cardIssuer.js';

describe('atrIssuer', () => {
  it('reads the issuer a YubiKey 5 NFC and Latchkey\u2019s virtual card name in their historical bytes', () => {
    expect(atrIssuer(fromHex('3b8d80018073c021c057597562694b6579f9'))).toBe('YubiKey');
    expect(atrIssuer(virtualCardAtr({ extendedApdu: true }))).toBe('Latchkey');
    expect(atrIssuer(virtualCardAtr({ extendedApdu: false }))).toBe('Latchkey');
  });

  it('finds the issuer after other objects, and before the status bytes of category 0x00', () => {
    expect(atrIssuer(contactlessAtr(Uint8Array.of(0x00, 0x31, 0xfe, 0x52, 0x41, 0x42, 0x90, 0x00, 0x00)))).toBe('AB');
  });

  it('says nothing for an unparseable ATR, another historical-bytes format, a cut-short object or unprintable data', () => {
    expect(atrIssuer(Uint8Array.of(0x3b))).toBeUndefined();
    expect(atrIssuer(fromHex('3b80800101'))).toBeUndefined();
    expect(atrIssuer(contactlessAtr(Uint8Array.of(0x10, 0x57, 0x41)))).toBeUndefined();
    expect(atrIssuer(contactlessAtr(Uint8Array.of(0x80, 0x57, 0x41, 0x42)))).toBeUndefined();
    expect(atrIssuer(contactlessAtr(Uint8Array.of(0x80, 0x52, 0x41, 0x00)))).toBeUndefined();
  });
});

describe('cardLabel', () => {
  it('labels Latchkey\u2019s virtual card and no other', () => {
    expect(cardLabel(virtualCardAtr({ extendedApdu: true }))).toBe('Latchkey virtual card');
    expect(cardLabel(fromHex('3b8d80018073c021c057597562694b6579f9'))).toBeUndefined();
    expect(
      cardLabel(contactlessAtr(Uint8Array.of(0x80, 0x48, ...new TextEncoder().encode('Latchkey')))),
    ).toBeUndefined();
  });
});
