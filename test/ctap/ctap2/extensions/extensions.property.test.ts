// Property tests: random and mutated extension outputs give a value or a typed error, never a crash.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { CborMap, CborValue } from '../../../../src/ctap/cbor/types.js';
import { parseCredBlobOutput, parseCredBlobStored } from '../../../../src/ctap/ctap2/extensions/credBlob.js';
import { parseCredProtectOutput } from '../../../../src/ctap/ctap2/extensions/credProtect.js';
import {
  parseHmacSecretCreateOutput,
  parseHmacSecretMcOutput,
  parseHmacSecretOutput,
} from '../../../../src/ctap/ctap2/extensions/hmacSecret.js';
import { parseLargeBlobKeyOutput } from '../../../../src/ctap/ctap2/extensions/largeBlobKey.js';
import { parseMinPinLengthOutput } from '../../../../src/ctap/ctap2/extensions/minPinLength.js';
import {
  Encapsulation,
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
} from '../../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { FUZZ_RUNS, expectOnlyTypedErrors, mutationsOf } from '../../../support/fuzz.js';

const NAMES = ['credProtect', 'credBlob', 'minPinLength', 'hmac-secret', 'hmac-secret-mc', 'largeBlobKey', 'other'];

/** What a key could put under an extension identifier. */
const outputValue: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.boolean(),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.uint8Array({ maxLength: 100 }),
  mutationsOf(new Uint8Array(48).fill(0x5a)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant(new Map()),
);

const extensions: fc.Arbitrary<CborMap | undefined> = fc.option(
  fc.array(fc.tuple(fc.constantFrom(...NAMES), outputValue), { maxLength: 6 }).map((entries) => new Map(entries)),
  { nil: undefined },
);

describe('property: extension outputs', () => {
  it('parse to a value or a typed error for any output map, for both protocols and salt counts', () => {
    fc.assert(
      fc.property(extensions, fc.constantFrom(1 as const, 2 as const), fc.boolean(), (ext, saltCount, v2) => {
        const shared = v2
          ? {
              protocol: new PinUvAuthProtocolV2(),
              encapsulation: new Encapsulation(new Map(), new Uint8Array(64).fill(3)),
            }
          : {
              protocol: new PinUvAuthProtocolV1(),
              encapsulation: new Encapsulation(new Map(), new Uint8Array(32).fill(3)),
            };
        expectOnlyTypedErrors(() => parseCredProtectOutput(ext));
        expectOnlyTypedErrors(() => parseCredBlobStored(ext));
        expectOnlyTypedErrors(() => parseCredBlobOutput(ext));
        expectOnlyTypedErrors(() => parseMinPinLengthOutput(ext));
        expectOnlyTypedErrors(() => parseHmacSecretCreateOutput(ext));
        expectOnlyTypedErrors(() => parseHmacSecretOutput(ext, { ...shared, saltCount })?.dispose());
        expectOnlyTypedErrors(() => parseHmacSecretMcOutput(ext, { ...shared, saltCount })?.dispose());
        const key = ext?.get('largeBlobKey');
        if (key instanceof Uint8Array) expectOnlyTypedErrors(() => parseLargeBlobKeyOutput({ largeBlobKey: key }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
