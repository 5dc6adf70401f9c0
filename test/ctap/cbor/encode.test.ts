import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor, type CborInput } from '../../../src/ctap/cbor/index.js';
import { toHex } from '../../../src/ctap/bytes.js';
import { encodeCborAfterByte } from '../../../src/ctap/cbor/encode.js';
import { FUZZ_RUNS } from '../../support/fuzz.js';

/**
 * An independent reference: cbor-x in the configuration DESIGN.md gives for CTAP2 canonical form, fed maps whose keys
 * were put in canonical order by sorting cbor-x's own encodings of them, and integers in the types cbor-x needs.
 */
const reference = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  useTag259ForMaps: false,
  tagUint8Array: false,
  variableMapSize: true,
} as ConstructorParameters<typeof Encoder>[0]);

function forReference(value: CborInput | undefined): unknown {
  if (typeof value === 'number') return value >= 2 ** 32 || value < -(2 ** 32) ? BigInt(value) : value;
  if (typeof value === 'bigint') return value >= -(2n ** 32n) && value < 2n ** 32n ? Number(value) : value;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v: CborInput) => forReference(v));
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const keyed = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({
      sortKey: toHex(new Uint8Array(reference.encode(forReference(k)))),
      key: forReference(k),
      value: forReference(v),
    }))
    .sort(
      (a, b) => a.sortKey.length - b.sortKey.length || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0),
    );
  return new Map(keyed.map((e) => [e.key, e.value]));
}

function referenceHex(value: CborInput): string {
  return toHex(new Uint8Array(reference.encode(forReference(value))));
}

const cborValue: fc.Arbitrary<CborInput> = fc.letrec<{ value: CborInput }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.option(tie('value'), { nil: undefined }), { maxKeys: 5 }),
    fc
      .array(fc.tuple(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.string({ maxLength: 8 })), tie('value')), {
        maxLength: 6,
      })
      .map((entries) => new Map<number | string, CborInput>(entries)),
  ),
})).value;

describe('encodeCbor', () => {
  it('sorts integer keys canonically: shorter encodings first, so 24 comes after -1', () => {
    const encoded = encodeCbor(
      new Map([
        [24, 0],
        [-1, 0],
        [1, 0],
        [-25, 0],
        [23, 0],
      ]),
    );
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
    expect(
      toHex(
        encodeCbor(
          new Map([
            [1, 1],
            [2, undefined],
          ]),
        ),
      ),
    ).toBe('a10101');
  });

  it('refuses floats, oversized numbers and duplicate keys with a CborError', () => {
    expect(() => encodeCbor(1.5)).toThrow(CborError);
    expect(() => encodeCbor(2 ** 60)).toThrow(/bigint/);
    expect(() => encodeCbor(2n ** 64n)).toThrow(CborError);
    expect(() => encodeCbor(-(2n ** 63n) - 1n)).toThrow(/encodable range/);
    expect(toHex(encodeCbor(-(2n ** 63n)))).toBe('3b7fffffffffffffff');
    expect(() =>
      encodeCbor(
        new Map<number | bigint, number>([
          [1, 1],
          [1n, 2],
        ]),
      ),
    ).toThrow(/twice/);
  });

  it('produces what the strict decoder accepts, for nested maps too', () => {
    const value = new Map<number, unknown>([
      [
        3,
        {
          b: 1,
          a: [
            new Map([
              [-2, 1],
              [-1, 2],
            ]),
          ],
        },
      ],
      [1, new Uint8Array(70)],
    ]);
    const encoded = encodeCbor(value as never);
    expect(() => decodeCbor(encoded)).not.toThrow();
  });

  it('writes the same bytes as cbor-x given the keys in canonical order (property)', () => {
    fc.assert(
      fc.property(cborValue, (value) => {
        expect(toHex(encodeCbor(value))).toBe(referenceHex(value));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('keeps apart the keys of sibling and nested maps (one key list per depth is reused)', () => {
    const value = new Map<number, CborInput>([
      [
        2,
        [
          { type: 'public-key', id: Uint8Array.of(1) },
          { type: 'public-key', id: Uint8Array.of(2) },
        ],
      ],
      [
        1,
        new Map<number, CborInput>([
          [
            -1,
            {
              b: 1,
              a: new Map([
                [3, 0],
                [1, 0],
              ]),
            },
          ],
          [3, 'x'],
        ]),
      ],
    ]);
    expect(toHex(encodeCbor(value))).toBe(referenceHex(value));
  });

  it('encodes correctly after an encoding that failed half way', () => {
    expect(() =>
      encodeCbor(
        new Map([
          [
            1,
            new Map<number | bigint, number>([
              [5, 0],
              [4, 0],
              [5n, 1],
            ]),
          ],
        ]),
      ),
    ).toThrow(/twice/);
    expect(() => encodeCbor({ a: new Map([[1, 1.5]]) })).toThrow(CborError);
    expect(toHex(encodeCbor(new Map([[1, new Map([[3, 0]])]])))).toBe('a101a10300');
  });

  it('returns a buffer the caller owns', () => {
    const a = encodeCbor(new Uint8Array(8).fill(7));
    encodeCbor(new Uint8Array(8).fill(9));
    expect(a[1]).toBe(7);
  });
});

describe('encodeCborAfterByte', () => {
  it('writes the byte then what encodeCbor writes, also when the value outgrows the reused buffer', () => {
    const small = new Map<number, CborInput>([
      [1, 'example.com'],
      [2, new Uint8Array(32).fill(7)],
    ]);
    const large = new Map<number, CborInput>([[1, new Uint8Array(5000).fill(3)]]);
    for (const value of [small, large, new Map()]) {
      expect(toHex(encodeCborAfterByte(0x02, value))).toBe('02' + toHex(encodeCbor(value)));
    }
  });

  it('encodes correctly, with or without a leading byte, after an encoding that failed', () => {
    expect(() => encodeCborAfterByte(0x06, new Map([[1, 1.5]]))).toThrow(CborError);
    expect(toHex(encodeCbor(new Map([[1, 0]])))).toBe('a10100');
    expect(toHex(encodeCborAfterByte(0x0b, 'a'))).toBe('0b6161');
  });
});
