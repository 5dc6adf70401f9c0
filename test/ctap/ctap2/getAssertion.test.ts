import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/index.js';
import { toHex } from '../../../src/ctap/bytes.js';
import { encodeCbor } from '../../../src/ctap/cbor/encode.js';
import { encodeGetAssertionParams, parseAssertionResponse } from '../../../src/ctap/ctap2/getAssertion.js';
import { MessageAssembler } from '../../../src/ctap/hid/frame.js';
import { recordedReports } from '../../support/wiredata.js';

/** The recorded YubiKey getAssertion answer without its status byte. */
function recordedAnswer(): Uint8Array {
  const [first, ...rest] = recordedReports('WIREDATA_CTAP_CBOR_ASSERT');
  const assembler = new MessageAssembler(first!);
  for (const frame of rest) if (!assembler.complete) assembler.add(frame);
  return assembler.payload.subarray(1);
}

describe('getAssertion request and response', () => {
  it('hands out bytes the caller owns: zeroing the key\u2019s answer afterwards changes none of them', () => {
    const answer = recordedAnswer();
    const assertion = parseAssertionResponse(decodeCbor(answer));
    const before = [
      assertion.credential.id,
      assertion.authData.raw,
      assertion.authData.rpIdHash,
      assertion.signature,
    ].map(toHex);
    answer.fill(0);
    expect(
      [assertion.credential.id, assertion.authData.raw, assertion.authData.rpIdHash, assertion.signature].map(toHex),
    ).toEqual(before);
    expect(assertion.signature.some((b) => b !== 0)).toBe(true);
  });

  it('leaves absent members out of the request map and keeps the present ones in parameter order', () => {
    const clientDataHash = new Uint8Array(32).fill(7);
    const minimal = encodeGetAssertionParams({ rpId: 'example.com', clientDataHash });
    expect([...minimal.keys()]).toEqual([1, 2]);
    const full = encodeGetAssertionParams({
      rpId: 'example.com',
      clientDataHash,
      allowList: [{ type: 'public-key', id: Uint8Array.of(1, 2), transports: ['usb'] }],
      extensions: { 'hmac-secret': true },
      options: { up: false, uv: undefined },
      pinUvAuthParam: new Uint8Array(16),
      pinUvAuthProtocol: 2,
    });
    expect([...full.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(toHex(encodeCbor(full.get(3)!))).toBe('81a262696442010264747970656a7075626c69632d6b6579');
    expect(full.get(5)).toEqual({ up: false });
  });
});
