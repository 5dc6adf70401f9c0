// Shared settings for property tests: `npm test` runs a small share, `npm run fuzz` sets LATCHKEY_FUZZ_RUNS=100000.

import fc from 'fast-check';
import { ClientError, CtapError, ProtocolError, TransportError } from '../../src/ctap/errors.js';

export const FUZZ_RUNS = Number(process.env.LATCHKEY_FUZZ_RUNS ?? 300);

/** The library's own error types: anything else escaping a parser is a bug. */
export function isTypedError(error: unknown): boolean {
  return (
    error instanceof ProtocolError ||
    error instanceof TransportError ||
    error instanceof CtapError ||
    error instanceof ClientError
  );
}

/** Runs `fn` and fails with the offending error when it throws something untyped. */
export function expectOnlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isTypedError(error)) throw error;
  }
}

export async function expectOnlyTypedErrorsAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isTypedError(error)) throw error;
  }
}

/** Byte arrays made by flipping, inserting, deleting and truncating bytes of a valid sample. */
export function mutationsOf(sample: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((ops) => {
      let bytes = Array.from(sample);
      for (const op of ops) {
        const at = bytes.length ? op.at % bytes.length : 0;
        if (op.kind === 'flip' && bytes.length) bytes[at] = bytes[at]! ^ (1 << op.bit);
        else if (op.kind === 'set' && bytes.length) bytes[at] = op.value;
        else if (op.kind === 'insert') bytes.splice(at, 0, op.value);
        else if (op.kind === 'delete') bytes.splice(at, 1);
        else if (op.kind === 'truncate') bytes = bytes.slice(0, at);
      }
      return Uint8Array.from(bytes);
    });
}
