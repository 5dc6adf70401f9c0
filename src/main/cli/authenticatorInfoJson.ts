// The stable JSON form of authenticatorGetInfo for `latchkey info --json` (docs/cli.md): spec member names, bytes as hex.

import { type AuthenticatorInfo, type CborValue, formatAaguid, toHex } from '../../ctap/index.js';

/** JSON values as they come out of CBOR: byte strings as lowercase hex, maps as objects, big integers as decimal text. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Every getInfo member Latchkey knows, always present: null when the key did not send it. `unknown` holds members this
 * version does not know (and newer members with a value of an unexpected type), keyed by their CBOR key as text.
 */
export function authenticatorInfoJson(info: AuthenticatorInfo): Record<string, JsonValue> {
  const opt = <T>(value: T | undefined, convert: (v: T) => JsonValue = (v) => v as JsonValue): JsonValue =>
    value === undefined ? null : convert(value);
  const bytesOrText = (v: Uint8Array | string): JsonValue => (typeof v === 'string' ? v : toHex(v));
  return {
    versions: [...info.versions],
    extensions: [...info.extensions],
    aaguid: formatAaguid(info.aaguid),
    options: Object.fromEntries(info.options),
    maxMsgSize: info.maxMsgSize,
    pinUvAuthProtocols: [...info.pinUvAuthProtocols],
    maxCredentialCountInList: opt(info.maxCredentialCountInList),
    maxCredentialIdLength: opt(info.maxCredentialIdLength),
    transports: [...info.transports],
    algorithms: opt(info.algorithms, (list) => list.map((a) => ({ type: a.type, alg: cborJson(a.alg) }))),
    maxSerializedLargeBlobArray: opt(info.maxSerializedLargeBlobArray),
    forcePINChange: opt(info.forcePINChange),
    minPINLength: opt(info.minPINLength),
    firmwareVersion: opt(info.firmwareVersion),
    maxCredBlobLength: opt(info.maxCredBlobLength),
    maxRPIDsForSetMinPINLength: opt(info.maxRPIDsForSetMinPINLength),
    preferredPlatformUvAttempts: opt(info.preferredPlatformUvAttempts),
    uvModality: opt(info.uvModality),
    certifications: opt(info.certifications, (map) => Object.fromEntries(map)),
    remainingDiscoverableCredentials: opt(info.remainingDiscoverableCredentials),
    vendorPrototypeConfigCommands: opt(info.vendorPrototypeConfigCommands, (list) => [...list]),
    attestationFormats: opt(info.attestationFormats, (list) => [...list]),
    uvCountSinceLastPinEntry: opt(info.uvCountSinceLastPinEntry),
    longTouchForReset: opt(info.longTouchForReset),
    encIdentifier: opt(info.encIdentifier, toHex),
    transportsForReset: opt(info.transportsForReset, (list) => [...list]),
    pinComplexityPolicy: opt(info.pinComplexityPolicy),
    pinComplexityPolicyURL: opt(info.pinComplexityPolicyURL, bytesOrText),
    maxPINLength: opt(info.maxPINLength),
    encCredStoreState: opt(info.encCredStoreState, toHex),
    authenticatorConfigCommands: opt(info.authenticatorConfigCommands, (list) => [...list]),
    unknown: Object.fromEntries([...info.unknown].map(([key, value]) => [String(key), cborJson(value)])),
  };
}

/** Any decoded CBOR value as JSON. */
export function cborJson(value: CborValue): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(cborJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), cborJson(v)]));
  return value;
}
