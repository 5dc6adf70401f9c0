// authenticatorGetInfo response parsing (CTAP 2.2 section 6.4), keeping unknown and malformed newer fields rather than failing.

import { ProtocolError } from '../errors.js';
import type { CborMap, CborValue } from '../cbor/types.js';
import {
  asMap,
  isBytes,
  isInteger,
  isMap,
  isText,
  isUint,
  optArrayOf,
  optBool,
  optBytes,
  optMap,
  optText,
  optUint,
  reqBytes,
} from '../cbor/fields.js';
import { DEFAULT_MAX_MSG_SIZE, GetInfoKey } from './constants.js';

export interface PublicKeyCredentialParameters {
  type: string;
  alg: number;
}

/** Everything getInfo can say. Optional fields are absent when the key left them out. */
export interface AuthenticatorInfo {
  versions: string[];
  extensions: string[];
  aaguid: Uint8Array;
  options: Map<string, boolean>;
  /** The key's maxMsgSize, or the spec's 1024 default when absent. */
  maxMsgSize: number;
  pinUvAuthProtocols: number[];
  maxCredentialCountInList?: number;
  maxCredentialIdLength?: number;
  transports: string[];
  algorithms?: PublicKeyCredentialParameters[];
  maxSerializedLargeBlobArray?: number;
  forcePINChange?: boolean;
  minPINLength?: number;
  firmwareVersion?: number;
  maxCredBlobLength?: number;
  maxRPIDsForSetMinPINLength?: number;
  preferredPlatformUvAttempts?: number;
  uvModality?: number;
  certifications?: Map<string, number>;
  remainingDiscoverableCredentials?: number;
  vendorPrototypeConfigCommands?: number[];
  attestationFormats?: string[];
  uvCountSinceLastPinEntry?: number;
  longTouchForReset?: boolean;
  encIdentifier?: Uint8Array;
  transportsForReset?: string[];
  pinComplexityPolicy?: boolean;
  pinComplexityPolicyURL?: Uint8Array | string;
  maxPINLength?: number;
  encCredStoreState?: Uint8Array;
  authenticatorConfigCommands?: number[];
  /** Keys this library does not know, and known CTAP 2.2+ keys whose value had an unexpected type, as sent. */
  unknown: Map<number | string | bigint, CborValue>;
}

const WHERE = 'getInfo';

export function parseAuthenticatorInfo(value: CborValue): AuthenticatorInfo {
  const map = asMap(value, 'getInfo response');
  const versions = optArrayOf(map, GetInfoKey.versions, WHERE, isText, 'a text string');
  if (!versions || versions.length === 0) throw new ProtocolError('getInfo field 0x01 (versions) is missing or empty');
  const aaguid = reqBytes(map, GetInfoKey.aaguid, WHERE);
  if (aaguid.length !== 16)
    throw new ProtocolError(`getInfo field 0x03 (aaguid) is ${aaguid.length} bytes, expected 16`);

  const info: AuthenticatorInfo = {
    versions,
    extensions: optArrayOf(map, GetInfoKey.extensions, WHERE, isText, 'a text string') ?? [],
    aaguid,
    options: parseOptions(optMap(map, GetInfoKey.options, WHERE)),
    maxMsgSize: optUint(map, GetInfoKey.maxMsgSize, WHERE) ?? DEFAULT_MAX_MSG_SIZE,
    pinUvAuthProtocols: optArrayOf(map, GetInfoKey.pinUvAuthProtocols, WHERE, isUint, 'an unsigned integer') ?? [],
    transports: optArrayOf(map, GetInfoKey.transports, WHERE, isText, 'a text string') ?? [],
    unknown: new Map(),
  };
  assign(info, 'maxCredentialCountInList', optUint(map, GetInfoKey.maxCredentialCountInList, WHERE));
  assign(info, 'maxCredentialIdLength', optUint(map, GetInfoKey.maxCredentialIdLength, WHERE));
  assign(info, 'algorithms', parseAlgorithms(map));
  assign(info, 'maxSerializedLargeBlobArray', optUint(map, GetInfoKey.maxSerializedLargeBlobArray, WHERE));
  assign(info, 'forcePINChange', optBool(map, GetInfoKey.forcePINChange, WHERE));
  assign(info, 'minPINLength', optUint(map, GetInfoKey.minPINLength, WHERE));
  assign(info, 'firmwareVersion', optUint(map, GetInfoKey.firmwareVersion, WHERE));
  assign(info, 'maxCredBlobLength', optUint(map, GetInfoKey.maxCredBlobLength, WHERE));
  assign(info, 'maxRPIDsForSetMinPINLength', optUint(map, GetInfoKey.maxRPIDsForSetMinPINLength, WHERE));
  assign(info, 'preferredPlatformUvAttempts', optUint(map, GetInfoKey.preferredPlatformUvAttempts, WHERE));
  assign(info, 'uvModality', optUint(map, GetInfoKey.uvModality, WHERE));
  assign(info, 'certifications', parseCertifications(optMap(map, GetInfoKey.certifications, WHERE)));

  // Fields from CTAP 2.2 onward: a value of an unexpected type is kept in `unknown` instead of failing getInfo.
  const tolerant = <T>(key: number, read: () => T | undefined): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      info.unknown.set(key, map.get(key));
      return undefined;
    }
  };
  assign(
    info,
    'remainingDiscoverableCredentials',
    tolerant(GetInfoKey.remainingDiscoverableCredentials, () =>
      optUint(map, GetInfoKey.remainingDiscoverableCredentials, WHERE),
    ),
  );
  assign(
    info,
    'vendorPrototypeConfigCommands',
    tolerant(GetInfoKey.vendorPrototypeConfigCommands, () =>
      optArrayOf(map, GetInfoKey.vendorPrototypeConfigCommands, WHERE, isUint, 'an unsigned integer'),
    ),
  );
  assign(
    info,
    'attestationFormats',
    tolerant(GetInfoKey.attestationFormats, () =>
      optArrayOf(map, GetInfoKey.attestationFormats, WHERE, isText, 'a text string'),
    ),
  );
  assign(
    info,
    'uvCountSinceLastPinEntry',
    tolerant(GetInfoKey.uvCountSinceLastPinEntry, () => optUint(map, GetInfoKey.uvCountSinceLastPinEntry, WHERE)),
  );
  assign(
    info,
    'longTouchForReset',
    tolerant(GetInfoKey.longTouchForReset, () => optBool(map, GetInfoKey.longTouchForReset, WHERE)),
  );
  assign(
    info,
    'encIdentifier',
    tolerant(GetInfoKey.encIdentifier, () => optBytes(map, GetInfoKey.encIdentifier, WHERE)),
  );
  assign(
    info,
    'transportsForReset',
    tolerant(GetInfoKey.transportsForReset, () =>
      optArrayOf(map, GetInfoKey.transportsForReset, WHERE, isText, 'a text string'),
    ),
  );
  assign(
    info,
    'pinComplexityPolicy',
    tolerant(GetInfoKey.pinComplexityPolicy, () => optBool(map, GetInfoKey.pinComplexityPolicy, WHERE)),
  );
  assign(
    info,
    'pinComplexityPolicyURL',
    tolerant(GetInfoKey.pinComplexityPolicyURL, () => {
      const v = map.get(GetInfoKey.pinComplexityPolicyURL);
      return v === undefined ? undefined : isBytes(v) ? v : optText(map, GetInfoKey.pinComplexityPolicyURL, WHERE);
    }),
  );
  assign(
    info,
    'maxPINLength',
    tolerant(GetInfoKey.maxPINLength, () => optUint(map, GetInfoKey.maxPINLength, WHERE)),
  );
  assign(
    info,
    'encCredStoreState',
    tolerant(GetInfoKey.encCredStoreState, () => optBytes(map, GetInfoKey.encCredStoreState, WHERE)),
  );
  assign(
    info,
    'authenticatorConfigCommands',
    tolerant(GetInfoKey.authenticatorConfigCommands, () =>
      optArrayOf(map, GetInfoKey.authenticatorConfigCommands, WHERE, isUint, 'an unsigned integer'),
    ),
  );

  for (const [key, v] of map) {
    if (typeof key !== 'number' || key < 1 || key > GetInfoKey.authenticatorConfigCommands) info.unknown.set(key, v);
  }
  return info;
}

function assign<K extends keyof AuthenticatorInfo>(
  info: AuthenticatorInfo,
  key: K,
  value: AuthenticatorInfo[K] | undefined,
): void {
  if (value !== undefined) info[key] = value;
}

function parseOptions(map: CborMap | undefined): Map<string, boolean> {
  const options = new Map<string, boolean>();
  if (!map) return options;
  for (const [key, value] of map) {
    if (typeof key !== 'string' || typeof value !== 'boolean') {
      throw new ProtocolError(
        `getInfo field 0x04 (options) entry ${String(key)} is not a text key with a boolean value`,
      );
    }
    options.set(key, value);
  }
  return options;
}

function parseAlgorithms(map: CborMap): PublicKeyCredentialParameters[] | undefined {
  const items = optArrayOf(map, GetInfoKey.algorithms, WHERE, isMap, 'a map');
  return items?.map((item, i) => {
    const type = item.get('type');
    const alg = item.get('alg');
    if (typeof type !== 'string' || !isInteger(alg ?? null)) {
      throw new ProtocolError(`getInfo field 0x0a (algorithms) item ${i} lacks a text "type" and an integer "alg"`);
    }
    return { type, alg: alg as number };
  });
}

function parseCertifications(map: CborMap | undefined): Map<string, number> | undefined {
  if (!map) return undefined;
  const out = new Map<string, number>();
  for (const [key, value] of map) {
    if (typeof key === 'string' && typeof value === 'number') out.set(key, value);
  }
  return out;
}
