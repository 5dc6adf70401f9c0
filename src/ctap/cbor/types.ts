// The values the CTAP CBOR codec produces and accepts.

/** A decoded CBOR value. Maps keep their keys as they were on the wire (numbers or strings). */
export type CborValue = number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap;

export type CborMap = Map<CborKey, CborValue>;
export type CborKey = number | bigint | string;
