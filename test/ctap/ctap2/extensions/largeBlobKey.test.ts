// largeBlobKey: the request, and the 32-byte key read from the response (not from the authenticator data).
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/ctap/bytes.js';
import { encodeCbor, type CborInput } from '../../../../src/ctap/cbor/encode.js';
import { Ctap2 } from '../../../../src/ctap/ctap2/Ctap2.js';
import { extensionMap } from '../../../../src/ctap/ctap2/extensions/extension.js';
import {
  isLargeBlobKeySupported,
  largeBlobKeyInput,
  parseLargeBlobKeyOutput,
} from '../../../../src/ctap/ctap2/extensions/largeBlobKey.js';
import { ProtocolError } from '../../../../src/ctap/errors.js';
import { CaptureDevice } from '../../../support/captureDevice.js';
import { minimalInfo } from '../../../support/minimalInfo.js';

describe('largeBlobKey', () => {
  it('encodes {"largeBlobKey": true}', () => {
    // a1 6c "largeBlobKey" f5
    expect(toHex(encodeCbor(extensionMap(largeBlobKeyInput())))).toBe('a16c6c61726765426c6f624b6579f5');
    expect(isLargeBlobKeySupported({ extensions: ['largeBlobKey'] })).toBe(true);
  });

  it('reads the key from getAssertion response field 0x07', async () => {
    const key = new Uint8Array(32).fill(7);
    const answer = new Uint8Array([
      0,
      ...encodeCbor(
        new Map<number, CborInput>([
          [1, { id: fromHex('01'), type: 'public-key' }],
          [2, new Uint8Array(37).fill(1)],
          [3, fromHex('3006020101020101')],
          [7, key],
        ]),
      ),
    ]);
    const ctap2 = await Ctap2.create(new CaptureDevice([answer]), { info: minimalInfo() });
    const assertion = await ctap2.getAssertion({
      rpId: 'example.com',
      clientDataHash: new Uint8Array(32),
      extensions: extensionMap(largeBlobKeyInput()),
    });
    expect(parseLargeBlobKeyOutput(assertion)).toEqual(key);
  });

  it('returns undefined without a key and rejects a key that is not 32 bytes', () => {
    expect(parseLargeBlobKeyOutput({})).toBeUndefined();
    expect(() => parseLargeBlobKeyOutput({ largeBlobKey: new Uint8Array(16) })).toThrow(ProtocolError);
  });
});
