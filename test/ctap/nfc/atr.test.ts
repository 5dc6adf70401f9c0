import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { ProtocolError } from '../../../src/ctap/errors.js';
import { compactTlvObjects, contactlessAtr, parseAtr } from '../../../src/ctap/nfc/atr.js';
import { isVirtualCardAtr, virtualCardAtr } from '../../../src/ctap/virtual/nfc/virtualCardAtr.js';
import { FUZZ_RUNS, mutationsOf } from '../../support/fuzz.js';

// ATRs as real keys present them (Yubico's SDK lists the YubiKey ones; the Feitian one is from a PIV compatibility list).
const YUBIKEY5_NFC = fromHex('3b8d80018073c021c057597562694b6579f9');
const YUBIKEY5_USB = fromHex('3bfd1300008131fe158073c021c057597562694b657940');
const YUBIKEY_NEO_NFC = fromHex('3b8c8001597562696b65794e454f723358');
const FEITIAN_BIOPASS = fromHex('3b9c958131fe9f9067464a010253050172fe00fb');

describe('parseAtr', () => {
  it('reads a YubiKey 5 NFC: T=0 and T=1, issuer "YubiKey", command chaining and extended lengths', () => {
    const atr = parseAtr(YUBIKEY5_NFC);
    expect(atr.protocols).toEqual([0, 1]);
    expect(toHex(atr.historicalBytes)).toBe('8073c021c057597562694b6579');
    expect(atr.capabilities).toEqual({ commandChaining: true, extendedLengths: true });
    expect(
      compactTlvObjects(atr.historicalBytes).map((o) => [o.tag, new TextDecoder().decode(o.value)]),
    ).toContainEqual([5, 'YubiKey']);
  });

  it('reads the same capabilities through the contact interface bytes of a YubiKey 5 over USB', () => {
    const atr = parseAtr(YUBIKEY5_USB);
    expect(atr.protocols).toEqual([1, 1]);
    expect(atr.capabilities).toEqual({ commandChaining: true, extendedLengths: true });
  });

  it('finds no capabilities in historical bytes of another format (YubiKey NEO, Feitian BioPass)', () => {
    expect(parseAtr(YUBIKEY_NEO_NFC).capabilities).toBeUndefined();
    expect(new TextDecoder().decode(parseAtr(YUBIKEY_NEO_NFC).historicalBytes)).toBe('YubikeyNEOr3');
    expect(parseAtr(FEITIAN_BIOPASS).capabilities).toBeUndefined();
  });

  it('reads capabilities before the three status bytes of category 0x00, and a card that states no extended lengths', () => {
    const atr = parseAtr(contactlessAtr(fromHex('00' + '73802180' + '009000')));
    expect(atr.capabilities).toEqual({ commandChaining: true, extendedLengths: false });
  });

  it('names what is wrong with bytes that are not an ATR', () => {
    const cases: [string, RegExp][] = [
      ['3b', /at least TS and T0/],
      ['2b8001', /initial character 0x2b/],
      ['3b8d8001', /announces 13 historical bytes but 0 follow/],
      ['3b80', /end before the TD byte/],
      ['3b8d80018073c021c057597562694b6579', /TCK is missing/],
      ['3b8d80018073c021c057597562694b6579f8', /TCK 0xf8 does not check/],
      ['3b8d80018073c021c057597562694b6579f900', /1 bytes follow the end/],
    ];
    for (const [hex, message] of cases) {
      expect(() => parseAtr(fromHex(hex)), hex).toThrow(ProtocolError);
      expect(() => parseAtr(fromHex(hex)), hex).toThrow(message);
    }
  });

  it('builds contactless ATRs that it reads back (3B 8n 80 01, historical bytes, TCK)', () => {
    expect(toHex(contactlessAtr(fromHex('4c617463686b6579')))).toBe('3b8880014c617463686b65792c');
    expect(toHex(contactlessAtr(fromHex('8073c021c057597562694b6579')))).toBe(toHex(YUBIKEY5_NFC));
    expect(() => contactlessAtr(new Uint8Array(16))).toThrow(RangeError);
  });

  it('property: mangled ATRs are read or refused with ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(mutationsOf(YUBIKEY5_USB), (bytes) => {
        try {
          parseAtr(bytes);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('the virtual card ATR', () => {
  it('states extended lengths exactly when the card takes them, and is known for what it is', () => {
    expect(parseAtr(virtualCardAtr({ extendedApdu: true })).capabilities).toEqual({
      commandChaining: true,
      extendedLengths: true,
    });
    expect(parseAtr(virtualCardAtr({ extendedApdu: false })).capabilities).toEqual({
      commandChaining: true,
      extendedLengths: false,
    });
    expect(isVirtualCardAtr(virtualCardAtr({ extendedApdu: true }))).toBe(true);
    expect(isVirtualCardAtr(virtualCardAtr({ extendedApdu: false }))).toBe(true);
    expect(isVirtualCardAtr(YUBIKEY5_NFC)).toBe(false);
    expect(isVirtualCardAtr(fromHex('3b'))).toBe(false);
  });
});
