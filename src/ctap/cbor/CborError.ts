// The typed error for CBOR that breaks CTAP2's canonical rules or is not CBOR at all.

import { ProtocolError } from '../errors.js';

export type CborOffence =
  | 'truncated'
  | 'trailing-bytes'
  | 'indefinite-length'
  | 'tag'
  | 'non-shortest'
  | 'unsorted-keys'
  | 'duplicate-key'
  | 'invalid-utf8'
  | 'reserved'
  | 'too-deep'
  | 'too-large'
  | 'unsupported-value';

export class CborError extends ProtocolError {
  override readonly name = 'CborError';

  constructor(
    readonly offence: CborOffence,
    readonly offset: number,
    detail: string,
  ) {
    super(`Invalid CBOR (${offence}) at byte ${offset}: ${detail}`);
  }
}
