// Property tests: random and mutated bytes into every client-side parser give typed errors only, never a crash or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../src/ctap/cbor/index.js';
import { parseAuthenticatorInfo } from '../../src/ctap/ctap2/info.js';
import { parseAuthenticatorData } from '../../src/ctap/ctap2/authenticatorData.js';
import { parseAttestationResponse } from '../../src/ctap/ctap2/makeCredential.js';
import { parseAssertionResponse } from '../../src/ctap/ctap2/getAssertion.js';
import { coseToPublicKey } from '../../src/ctap/cose/coseKey.js';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd } from '../../src/ctap/hid/constants.js';
import { encodeFrames, readCid, writeCid } from '../../src/ctap/hid/frame.js';
import { concatBytes } from '../../src/ctap/bytes.js';
import type { CborInput } from '../../src/ctap/cbor/encode.js';
import { ScriptedHidConnection } from '../support/scriptedHid.js';
import { RECORDED_CID, recordedReports } from '../support/wiredata.js';
import { FUZZ_RUNS, expectOnlyTypedErrors, expectOnlyTypedErrorsAsync, mutationsOf } from '../support/fuzz.js';
import { CaptureDevice } from '../support/captureDevice.js';

function payloadOf(name: string): Uint8Array {
  const reports = recordedReports(name);
  const length = (reports[0]![5]! << 8) | reports[0]![6]!;
  return concatBytes(reports[0]!.subarray(7), ...reports.slice(1).map((r) => r.subarray(5))).subarray(0, length);
}

const INFO = payloadOf('WIREDATA_CTAP_CBOR_INFO').subarray(1);
const MAKECRED = payloadOf('REGRESS_WIREDATA_MAKECRED').subarray(1);
const ASSERT = payloadOf('WIREDATA_CTAP_CBOR_ASSERT').subarray(1);
const AUTHDATA = (decodeCbor(MAKECRED) as Map<number, Uint8Array>).get(2)!;

/** Any CBOR value CTAP could carry, to check the encoder/decoder pair. */
const cborValue: fc.Arbitrary<CborInput> = fc.letrec<{ value: CborInput }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 5 })
      .map((entries) => {
        const map = new Map<number | string, CborInput>();
        for (const [k, v] of entries) map.set(k, v);
        return map;
      }),
  ),
})).value;

describe('property: CBOR', () => {
  it('decodes random bytes to a value or a CborError, strict and lenient', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expectOnlyTypedErrors(() => decodeCbor(bytes));
        expectOnlyTypedErrors(() => decodeCbor(bytes, { lenient: true }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('decodes mutations of a real getInfo answer to a value or a CborError', () => {
    fc.assert(
      fc.property(mutationsOf(INFO), (bytes) => expectOnlyTypedErrors(() => decodeCbor(bytes))),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('round-trips every encodable value through the strict decoder', () => {
    fc.assert(
      fc.property(cborValue, (value) => {
        const encoded = encodeCbor(value);
        expect(encodeCbor(decodeCbor(encoded) as CborInput)).toEqual(encoded);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('property: CTAP2 response parsers', () => {
  const parsers: [string, Uint8Array, (bytes: Uint8Array) => unknown][] = [
    ['getInfo', INFO, (b) => parseAuthenticatorInfo(decodeCbor(b))],
    ['makeCredential', MAKECRED, (b) => parseAttestationResponse(decodeCbor(b) as never)],
    ['getAssertion', ASSERT, (b) => parseAssertionResponse(decodeCbor(b) as never)],
    ['authenticator data', AUTHDATA, (b) => parseAuthenticatorData(b)],
    ['COSE key', AUTHDATA.subarray(37 + 18 + 64), (b) => coseToPublicKey(decodeCbor(b) as never)],
  ];
  for (const [name, sample, parse] of parsers) {
    it(`parses mutations of a recorded ${name} to a result or a typed error`, () => {
      fc.assert(
        fc.property(mutationsOf(sample), (bytes) => expectOnlyTypedErrors(() => parse(bytes))),
        { numRuns: FUZZ_RUNS },
      );
    });
    it(`parses random CBOR in place of ${name} to a result or a typed error`, () => {
      fc.assert(
        fc.property(cborValue, (value) => expectOnlyTypedErrors(() => parse(encodeCbor(value)))),
        { numRuns: Math.ceil(FUZZ_RUNS / 4) },
      );
    });
  }

  it('Ctap2.send turns any answer into a map or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 100 }), mutationsOf(payloadOf('WIREDATA_CTAP_CBOR_INFO'))),
        async (answer) => {
          await expectOnlyTypedErrorsAsync(() => Ctap2.create(new CaptureDevice([answer])));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('property: CTAPHID client', () => {
  /** Answers INIT, then plays the case's frames followed by one valid answer, so every case ends at once. */
  async function openWith(frames: Uint8Array[]) {
    const conn = new ScriptedHidConnection((frame, c) => {
      if (readCid(frame) === 0xffffffff) {
        const init = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
        init.set(frame.subarray(7, 15), 7);
        c.push(init);
      } else if (frame[4]! & 0x80) {
        c.push(...frames, ...encodeFrames(RECORDED_CID, CtapHidCmd.CBOR, Uint8Array.of(0)));
      }
    });
    return CtapHidDevice.open(conn);
  }

  const recordedFrames = recordedReports('WIREDATA_CTAP_CBOR_INFO').map((f) => {
    const copy = f.slice();
    writeCid(copy, RECORDED_CID);
    return copy;
  });

  it('answers random and mutated frames with a payload or a typed error, without hanging', async () => {
    const frame = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
      fc
        .nat({ max: recordedFrames.length - 1 })
        .chain((i) => mutationsOf(recordedFrames[i]!).map((m) => m.subarray(0, 64))),
      fc
        .uint8Array({ minLength: 60, maxLength: 60 })
        .map((rest) => concatBytes(Uint8Array.of(0x00, 0x22, 0x00, 0x02), rest)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 6 }), async (frames) => {
        const device = await openWith(frames);
        await expectOnlyTypedErrorsAsync(() => device.call(CtapHidCmd.CBOR, Uint8Array.of(4), { timeoutMs: 200 }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
