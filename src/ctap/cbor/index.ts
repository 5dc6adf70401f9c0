// CTAP2 canonical CBOR: encoder, strict decoder and typed field readers.
export { encodeCbor, type CborInput } from './encode.js';
export { decodeCbor, decodeCborPrefix, type CborDecodeOptions } from './decode.js';
export { CborError, type CborOffence } from './CborError.js';
export type { CborKey, CborMap, CborValue } from './types.js';
