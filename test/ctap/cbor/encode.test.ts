import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor } from '../../../src/ctap/cbor/index.js';
import { toHex } from '../../../src/ctap/bytes.js';

describe('encodeCbor', () => {
  it('sorts integer keys canonically: shorter encodings first, so 24 comes after -1', () => {
    const encoded = encodeCbor(new Map([[24, 0], [-1, 0], [1, 0], [-25, 0], [23, 0]]));
    expect(toHex(encoded)).toBe('a5' + '0100' + '1700' + '2000' + '181800' + '381800');
  });

  it('sorts text keys by length then bytes, whatever the insertion order', () => {
    expect(toHex(encodeCbor({ name: 'a', id: 'b', displayName: 'c' }))).toBe(
      'a3' + '626964' + '6162' + '646e616d65' + '6161' + '6b646973706c61794e616d65' + '6163',
    );
  });

  it('writes integers of 2^32 and above as 8-byte integers, never floats', () => {
    expect(toHex(encodeCbor(2 ** 32))).toBe('1b0000000100000000');
    expect(toHex(encodeCbor(-(2 ** 32) - 1))).toBe('3b0000000100000000');
    expect(toHex(encodeCbor(2n ** 63n))).toBe('1b8000000000000000');
    expect(toHex(encodeCbor(5n))).toBe('05');
  });

  it('writes lengths in their shortest form', () => {
    expect(toHex(encodeCbor('x'.repeat(23))).slice(0, 2)).toBe('77');
    expect(toHex(encodeCbor('x'.repeat(24))).slice(0, 4)).toBe('7818');
    expect(toHex(encodeCbor(new Uint8Array(256))).slice(0, 6)).toBe('590100');
    expect(toHex(encodeCbor(new Array(24).fill(0))).slice(0, 4)).toBe('9818');
  });

  it('leaves out map entries whose value is undefined', () => {
    expect(toHex(encodeCbor(new Map([[1, 1], [2, undefined]])))).toBe('a10101');
  });

  it('refuses floats, oversized numbers and duplicate keys with a CborError', () => {
    expect(() => encodeCbor(1.5)).toThrow(CborError);
    expect(() => encodeCbor(2 ** 60)).toThrow(/bigint/);
    expect(() => encodeCbor(2n ** 64n)).toThrow(CborError);
    expect(() => encodeCbor(-(2n ** 63n) - 1n)).toThrow(/encodable range/);
    expect(toHex(encodeCbor(-(2n ** 63n)))).toBe('3b7fffffffffffffff');
    expect(() => encodeCbor(new Map<number | bigint, number>([[1, 1], [1n, 2]]))).toThrow(/twice/);
  });

  it('produces what the strict decoder accepts, for nested maps too', () => {
    const value = new Map<number, unknown>([[3, { b: 1, a: [new Map([[-2, 1], [-1, 2]])] }], [1, new Uint8Array(70)]]);
    const encoded = encodeCbor(value as never);
    expect(() => decodeCbor(encoded)).not.toThrow();
  });

  it('returns a buffer the caller owns', () => {
    const a = encodeCbor(new Uint8Array(8).fill(7));
    encodeCbor(new Uint8Array(8).fill(9));
    expect(a[1]).toBe(7);
  });
});
