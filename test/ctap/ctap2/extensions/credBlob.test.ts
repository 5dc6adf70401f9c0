// credBlob: the makeCredential blob checked against maxCredBlobLength, getAssertion's request, and both outputs.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../../src/ctap/cbor/encode.js';
import {
  credBlobInput,
  getCredBlobInput,
  isCredBlobSupported,
  maxCredBlobLength,
  parseCredBlobOutput,
  parseCredBlobStored,
} from '../../../../src/ctap/ctap2/extensions/credBlob.js';
import { extensionMap } from '../../../../src/ctap/ctap2/extensions/extension.js';
import { ClientError, ProtocolError } from '../../../../src/ctap/errors.js';

describe('credBlob', () => {
  const yubikey = { extensions: ['credBlob'], maxCredBlobLength: 32 };

  it('encodes the blob as {"credBlob": bytes} at makeCredential and {"credBlob": true} at getAssertion', () => {
    // a1 68 "credBlob" 43 010203
    expect(toHex(encodeCbor(extensionMap(credBlobInput({ info: yubikey, blob: Uint8Array.of(1, 2, 3) }))))).toBe(
      'a16863726564426c6f6243010203',
    );
    expect(toHex(encodeCbor(extensionMap(getCredBlobInput())))).toBe('a16863726564426c6f62f5');
  });

  it('takes up to maxCredBlobLength bytes, the spec minimum of 32 when getInfo leaves it out, and refuses more before sending', () => {
    expect(credBlobInput({ info: yubikey, blob: new Uint8Array(32) }).input).toHaveLength(32);
    expect(() => credBlobInput({ info: yubikey, blob: new Uint8Array(33) })).toThrow(
      /33 bytes; this key stores at most 32/,
    );
    expect(maxCredBlobLength({ extensions: ['credBlob'] })).toBe(32);
    expect(maxCredBlobLength({ extensions: ['credBlob'], maxCredBlobLength: 64 })).toBe(64);
    expect(() => credBlobInput({ info: { extensions: [] }, blob: new Uint8Array(1) })).toThrow(
      /lacks the credBlob extension/,
    );
    expect(() => credBlobInput({ info: { extensions: [] }, blob: new Uint8Array(1) })).toThrow(ClientError);
    expect(isCredBlobSupported(yubikey)).toBe(true);
  });

  it('reads "stored" from makeCredential and the blob from getAssertion; malformed outputs are ProtocolErrors', () => {
    expect(parseCredBlobStored(new Map([['credBlob', true]]))).toBe(true);
    expect(parseCredBlobStored(undefined)).toBeUndefined();
    expect(parseCredBlobOutput(new Map([['credBlob', Uint8Array.of(9)]]))).toEqual(Uint8Array.of(9));
    expect(parseCredBlobOutput(new Map([['credBlob', new Uint8Array(0)]]))).toEqual(new Uint8Array(0));
    expect(parseCredBlobOutput(new Map())).toBeUndefined();
    expect(() => parseCredBlobStored(new Map([['credBlob', Uint8Array.of(1)]]))).toThrow(ProtocolError);
    expect(() => parseCredBlobOutput(new Map([['credBlob', true]]))).toThrow(ProtocolError);
  });
});
