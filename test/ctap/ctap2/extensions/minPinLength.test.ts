// minPinLength: the request and the unsigned-integer output.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../../src/ctap/cbor/encode.js';
import { extensionMap } from '../../../../src/ctap/ctap2/extensions/extension.js';
import {
  isMinPinLengthSupported,
  minPinLengthInput,
  parseMinPinLengthOutput,
} from '../../../../src/ctap/ctap2/extensions/minPinLength.js';
import { ProtocolError } from '../../../../src/ctap/errors.js';

describe('minPinLength', () => {
  it('encodes {"minPinLength": true}', () => {
    // a1 6c "minPinLength" f5
    expect(toHex(encodeCbor(extensionMap(minPinLengthInput())))).toBe('a16c6d696e50696e4c656e677468f5');
    expect(isMinPinLengthSupported({ extensions: ['minPinLength'] })).toBe(true);
    expect(isMinPinLengthSupported({ extensions: [] })).toBe(false);
  });

  it('reads the length, undefined when the RP is not on the key\u2019s list, and rejects non-integers with ProtocolError', () => {
    expect(parseMinPinLengthOutput(new Map([['minPinLength', 6]]))).toBe(6);
    expect(parseMinPinLengthOutput(new Map())).toBeUndefined();
    expect(parseMinPinLengthOutput(undefined)).toBeUndefined();
    for (const value of [-4, 'six', true, Uint8Array.of(6)]) {
      expect(() => parseMinPinLengthOutput(new Map([['minPinLength', value]])), String(value)).toThrow(ProtocolError);
    }
  });
});
