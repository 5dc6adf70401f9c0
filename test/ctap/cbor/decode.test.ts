import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, decodeCborPrefix, type CborOffence } from '../../../src/ctap/cbor/index.js';
import { fromHex } from '../../../src/ctap/bytes.js';

function offenceOf(hex: string, lenient = false): CborOffence | 'none' {
  try {
    decodeCbor(fromHex(hex), { lenient });
    return 'none';
  } catch (error) {
    if (error instanceof CborError) return error.offence;
    throw error;
  }
}

describe('decodeCbor (strict)', () => {
  it('decodes the RFC 8949 appendix A examples that CTAP can carry', () => {
    expect(decodeCbor(fromHex('00'))).toBe(0);
    expect(decodeCbor(fromHex('17'))).toBe(23);
    expect(decodeCbor(fromHex('1818'))).toBe(24);
    expect(decodeCbor(fromHex('1903e8'))).toBe(1000);
    expect(decodeCbor(fromHex('1a000f4240'))).toBe(1000000);
    expect(decodeCbor(fromHex('1b000000e8d4a51000'))).toBe(1000000000000);
    expect(decodeCbor(fromHex('1bffffffffffffffff'))).toBe(18446744073709551615n);
    expect(decodeCbor(fromHex('3bffffffffffffffff'))).toBe(-18446744073709551616n);
    expect(decodeCbor(fromHex('20'))).toBe(-1);
    expect(decodeCbor(fromHex('3903e7'))).toBe(-1000);
    expect(decodeCbor(fromHex('f4'))).toBe(false);
    expect(decodeCbor(fromHex('f5'))).toBe(true);
    expect(decodeCbor(fromHex('f6'))).toBe(null);
    expect(decodeCbor(fromHex('4401020304'))).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(decodeCbor(fromHex('6449455446'))).toBe('IETF');
    expect(decodeCbor(fromHex('62c3bc'))).toBe('\u00fc');
    expect(decodeCbor(fromHex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(fromHex('a201020304'))).toEqual(
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(decodeCbor(fromHex('a26161016162820203'))).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['b', [2, 3]],
      ]),
    );
  });

  it('keeps integers beyond 2^53 exact as bigints', () => {
    expect(decodeCbor(fromHex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(decodeCbor(fromHex('1b001fffffffffffff'))).toBe(2 ** 53 - 1);
  });

  it.each([
    ['1817', 'non-shortest', '23 in one extra byte'],
    ['190017', 'non-shortest', '23 in two bytes'],
    ['1a0000ffff', 'non-shortest', '65535 in four bytes'],
    ['1b00000000ffffffff', 'non-shortest', '2^32-1 in eight bytes'],
    ['5801ff', 'non-shortest', 'a 1-byte string with a 1-byte length'],
    ['5f41014102ff', 'indefinite-length', 'an indefinite byte string'],
    ['9f0102ff', 'indefinite-length', 'an indefinite array'],
    ['c11a514b67b0', 'tag', 'a tag'],
    ['a202010102', 'unsorted-keys', 'integer keys out of order'],
    ['a2616201616101', 'unsorted-keys', 'text keys out of order'],
    ['a2626262016161 01'.replace(' ', ''), 'unsorted-keys', 'a longer text key before a shorter one'],
    ['a220010102', 'unsorted-keys', 'a negative key before a positive one'],
    ['a201010102', 'duplicate-key', 'the same key twice'],
    ['0000', 'trailing-bytes', 'a second item'],
    ['1a0000', 'truncated', 'a cut argument'],
    ['43 0102'.replace(' ', ''), 'truncated', 'a byte string cut short'],
    ['9a7fffffff', 'truncated', 'an array claiming 2^31 items'],
    ['62c328', 'invalid-utf8', 'bad UTF-8'],
    ['1c', 'reserved', 'additional information 28'],
    ['f0', 'unsupported-value', 'an unassigned simple value'],
    ['ff', 'unsupported-value', 'a lone break'],
    ['a1f601', 'unsupported-value', 'a null map key'],
  ])('rejects %s (%s: %s)', (hex, offence) => {
    expect(offenceOf(hex)).toBe(offence);
  });

  it('names the offence and the byte offset in the message', () => {
    expect(() => decodeCbor(fromHex('a202010102'))).toThrow(/unsorted-keys\) at byte 3/);
  });

  it('rejects nesting deeper than maxDepth', () => {
    const deep = '81'.repeat(20) + '00';
    expect(offenceOf(deep)).toBe('too-deep');
    expect(decodeCbor(fromHex('818100'), { maxDepth: 2 })).toEqual([[0]]);
  });

  it('decodes one item at an offset and says where it ended', () => {
    const { value, end } = decodeCborPrefix(fromHex('ffa1010203'), 1);
    expect(value).toEqual(new Map([[1, 2]]));
    expect(end).toBe(4);
  });
});

describe('decodeCbor (lenient)', () => {
  it.each([
    ['1817', 23],
    ['5f41014102ff', Uint8Array.of(1, 2)],
    ['9f0102ff', [1, 2]],
    ['c11a514b67b0', 1363896240],
  ])('accepts the non-canonical %s', (hex, expected) => {
    expect(decodeCbor(fromHex(hex), { lenient: true })).toEqual(expected);
  });

  it('accepts unsorted keys and keeps their wire order', () => {
    expect([...(decodeCbor(fromHex('a202010102'), { lenient: true }) as Map<number, number>).keys()]).toEqual([2, 1]);
  });

  it.each([
    ['a201010102', 'duplicate-key'],
    ['0000', 'trailing-bytes'],
    ['62c328', 'invalid-utf8'],
    ['1a0000', 'truncated'],
  ])('still rejects %s (%s)', (hex, offence) => {
    expect(offenceOf(hex, true)).toBe(offence);
  });
});

describe('decodeCbor and Node Buffers', () => {
  it('returns byte strings that own their memory, even when the input is a Buffer', () => {
    const input = Buffer.from('4401020304', 'hex');
    const bytes = decodeCbor(input) as Uint8Array;
    input.fill(0);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4]);
    expect(Buffer.isBuffer(bytes)).toBe(false);
  });
});

describe('decodeCbor copies and reuse', () => {
  it.each([0, 1, 63, 64, 65, 300])('returns a %i-byte string that survives zeroing the input', (length) => {
    const content = Uint8Array.from({ length }, (_, i) => (i * 7 + 1) & 0xff);
    const head = length < 24 ? [0x40 | length] : length < 256 ? [0x58, length] : [0x59, length >> 8, length & 0xff];
    const input = Buffer.from([...head, ...content]);
    const bytes = decodeCbor(input) as Uint8Array;
    input.fill(0);
    expect(Array.from(bytes)).toEqual(Array.from(content));
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(length);
  });

  it('decodes each of 676 short strings to itself, though they outnumber the table of reused strings', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = [...letters].flatMap((a) => [...letters].map((b) => a + b));
    for (let pass = 0; pass < 2; pass++) {
      for (const word of words) {
        expect(decodeCbor(Uint8Array.of(0x62, word.charCodeAt(0), word.charCodeAt(1)))).toBe(word);
      }
    }
    expect(decodeCbor(fromHex('6a7075626c69632d6b6579'))).toBe('public-key');
    expect(decodeCbor(fromHex('6a7075626c69632d6b6578'))).toBe('public-kex');
  });
});
