import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { TransportError } from '../../../src/ctap/errors.js';
import {
  chainCommand,
  encodeCommandApdu,
  encodeResponseApdu,
  formatStatusWord,
  parseCommandApdu,
  parseResponseApdu,
  type ApduForm,
  type CommandApdu,
} from '../../../src/ctap/iso7816/apdu.js';

const header = { cla: 0x80, ins: 0x10, p1: 0x80, p2: 0x00 };
const none = new Uint8Array(0);

describe('encodeCommandApdu', () => {
  it.each<[string, CommandApdu, ApduForm, string]>([
    ['case 1', { ...header, data: none, ne: 0 }, 'short', '80108000'],
    ['case 2 short, Le 00 for 256', { ...header, data: none, ne: 256 }, 'short', '8010800000'],
    ['case 2 short, Le 10', { ...header, data: none, ne: 16 }, 'short', '8010800010'],
    ['case 3 short', { ...header, data: Uint8Array.of(4), ne: 0 }, 'short', '801080000104'],
    ['case 4 short', { ...header, data: Uint8Array.of(4), ne: 256 }, 'short', '80108000010400'],
    ['case 2 extended, Le 0000 for 65536', { ...header, data: none, ne: 65536 }, 'extended', '80108000000000'],
    ['case 3 extended', { ...header, data: Uint8Array.of(4), ne: 0 }, 'extended', '8010800000000104'],
    ['case 4 extended', { ...header, data: Uint8Array.of(4), ne: 0x1234 }, 'extended', '80108000000001041234'],
  ])('encodes %s', (_, cmd, form, expected) => {
    expect(toHex(encodeCommandApdu(cmd, form))).toBe(expected);
  });

  it('refuses 256 data bytes in a short APDU with TransportError(too-large)', () => {
    const cmd = { ...header, data: new Uint8Array(256), ne: 0 };
    expect(() => encodeCommandApdu(cmd, 'short')).toThrowError(TransportError);
    expect(toHex(encodeCommandApdu(cmd, 'extended')).slice(0, 14)).toBe('80108000000100');
  });

  it('refuses an Ne the form cannot express', () => {
    expect(() => encodeCommandApdu({ ...header, data: none, ne: 257 }, 'short')).toThrowError(RangeError);
  });
});

describe('parseCommandApdu', () => {
  it('round-trips every case in both forms', () => {
    const arb = fc.record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      extended: fc.boolean(),
      len: fc.integer({ min: 0, max: 600 }),
      ne: fc.integer({ min: 0, max: 65536 }),
    });
    fc.assert(
      fc.property(arb, ({ extended, len, ne, ...h }) => {
        const form: ApduForm = extended ? 'extended' : 'short';
        const dataLen = extended ? len : Math.min(len, 255);
        const cmd = { ...h, data: Uint8Array.from({ length: dataLen }, (_, i) => i), ne: extended ? ne : ne % 257 };
        const parsed = parseCommandApdu(encodeCommandApdu(cmd, form));
        expect(parsed).toMatchObject({ ...h, ne: cmd.ne });
        expect(parsed.data).toEqual(cmd.data);
        // A command with neither Lc nor Le is the same in both forms.
        if (cmd.data.length > 0 || cmd.ne > 0) expect(parsed.form).toBe(form);
      }),
    );
  });

  it.each([
    ['case 2E: Le 0000, no Lc', '00030000000000', 65536],
    [
      'U2F framing of a request without data: Lc 0000 then Le 0000 (python-fido2, libfido2)',
      '000300000000000000',
      65536,
    ],
    ['U2F framing with Lc 0000 and Le 0100', '000300000000000100', 256],
  ])('reads %s as an empty extended command', (_, apdu, ne) => {
    expect(parseCommandApdu(fromHex(apdu))).toEqual({
      cla: 0,
      ins: 3,
      p1: 0,
      p2: 0,
      data: new Uint8Array(0),
      ne,
      form: 'extended',
    });
  });

  it.each([
    ['three bytes', '801080'],
    ['Lc longer than the data', '8010800005010203'],
    ['extended Lc longer than the data', '801080000000050102'],
    ['extended Lc 0000 followed by one byte', '80108000000000ff'],
    ['extended Lc 0000 followed by data', '8010800000000001020304'],
    ['a dangling extended marker', '8010800000ff'],
  ])('rejects %s with TransportError(framing)', (_, apdu) => {
    const error = (() => {
      try {
        parseCommandApdu(fromHex(apdu));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('framing');
  });
});

describe('chainCommand', () => {
  it('splits at the chunk size, sets CLA bit 0x10 on all but the last and gives only the last an Le', () => {
    const cmd = { ...header, data: new Uint8Array(600), ne: 256 };
    const parts = chainCommand(cmd, 250);
    expect(parts.map((p) => [p.cla, p.data.length, p.ne])).toEqual([
      [0x90, 250, 0],
      [0x90, 250, 0],
      [0x80, 100, 256],
    ]);
  });

  it('leaves a command that fits alone untouched', () => {
    const cmd = { ...header, data: new Uint8Array(250), ne: 256 };
    expect(chainCommand(cmd, 250)).toEqual([cmd]);
  });

  it('rejects a chunk size a short APDU cannot carry', () => {
    expect(() => chainCommand({ ...header, data: none, ne: 0 }, 256)).toThrowError(RangeError);
    expect(() => chainCommand({ ...header, data: none, ne: 0 }, 0)).toThrowError(RangeError);
  });
});

describe('response APDUs', () => {
  it('splits data from SW1 SW2 and back', () => {
    const parsed = parseResponseApdu(fromHex('5532465f56329000'));
    expect(new TextDecoder().decode(parsed.data)).toBe('U2F_V2');
    expect(parsed.sw).toBe(0x9000);
    expect(toHex(encodeResponseApdu(parsed.data, parsed.sw))).toBe('5532465f56329000');
  });

  it('rejects an answer shorter than a status word with TransportError(framing)', () => {
    expect(() => parseResponseApdu(fromHex('90'))).toThrowError(/at least SW1 SW2/);
  });

  it('formats status words as four upper-case hex digits', () => {
    expect(formatStatusWord(0x6a82)).toBe('6A82');
    expect(formatStatusWord(0x0001)).toBe('0001');
  });
});
