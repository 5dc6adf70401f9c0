// authenticatorLargeBlobs (CTAP 2.1 section 6.10), client side: the serialized large-blob array in fragments, and per-credential blobs sealed with largeBlobKey.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { constants as bufferConstants } from 'node:buffer';
import { deflateRawSync, inflateRawSync, inflateSync } from 'node:zlib';
import { decodeCbor } from '../cbor/decode.js';
import { encodeCbor, type CborInput } from '../cbor/encode.js';
import { describeValue, optBytes, optUint, reqBytes } from '../cbor/fields.js';
import type { CborMap, CborValue } from '../cbor/types.js';
import { concatBytes, equalBytes, zeroize } from '../bytes.js';
import { ClientError, ProtocolError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { PinUvAuthToken } from './ClientPin.js';
import { Ctap2Cmd } from './constants.js';
import { PIN_UV_AUTH_PREFIX, type FeatureCtap2 } from './featureAuth.js';

const WHERE = 'largeBlobs response';

/** The part of getInfo LargeBlobs reads. */
export interface LargeBlobsInfo {
  readonly options: ReadonlyMap<string, boolean>;
  readonly maxMsgSize: number;
  readonly maxSerializedLargeBlobArray?: number;
}

/** A large-blob map as sealEntry makes it: {1: ciphertext and tag, 2: nonce, 3: origSize}. */
export type LargeBlobEntry = Map<number, Uint8Array | number>;

/** Options of {@link LargeBlobs.sealEntry}. */
export interface SealOptions {
  /**
   * The 12-byte AES-GCM nonce. Only for known-answer tests: a repeated nonce under one key breaks AES-GCM.
   * @default 12 random bytes
   */
  nonce?: Uint8Array;
}

/** The smallest maxSerializedLargeBlobArray a key may offer (section 6.4), assumed when a key leaves the field out. */
const MIN_SERIALIZED_ARRAY = 1024;
/** The truncated SHA-256 that ends the serialized array (section 6.10). */
const HASH_LENGTH = 16;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
/** maxFragmentLength is maxMsgSize minus this (section 6.10.2), room for the rest of a set request. */
const FRAGMENT_OVERHEAD = 64;
const AD_PREFIX = new TextEncoder().encode('blob');

type ArrayRead = { corrupt: false; entries: CborValue[] } | { corrupt: true; reason: string };

export class LargeBlobs {
  /** Section 6.10: authenticatorLargeBlobs request parameter keys. */
  static readonly PARAM = {
    get: 0x01,
    set: 0x02,
    offset: 0x03,
    length: 0x04,
    pinUvAuthParam: 0x05,
    pinUvAuthProtocol: 0x06,
  } as const;

  /** Section 6.10: authenticatorLargeBlobs response keys. */
  static readonly RESULT = { config: 0x01 } as const;

  /** Section 6.10.3: large-blob map keys, one map per sealed entry. */
  static readonly ENTRY = {
    ciphertext: 0x01,
    nonce: 0x02,
    origSize: 0x03,
  } as const;

  /** Whether the key stores a large-blob array (option `largeBlobs`). */
  static isSupported(info: LargeBlobsInfo): boolean {
    return info.options.get('largeBlobs') === true;
  }

  /**
   * A large-blob map for `data`: DEFLATE (raw, RFC 1951) then AES-256-GCM under the credential's largeBlobKey, with
   * associated data "blob" || origSize as a little-endian uint64 (section 6.10.3).
   */
  static sealEntry(largeBlobKey: Uint8Array, data: Uint8Array, options: SealOptions = {}): LargeBlobEntry {
    checkKey(largeBlobKey);
    if (!(data instanceof Uint8Array)) throw new ClientError('bad-request', 'A large blob is a byte array.');
    const nonce = options.nonce ?? new Uint8Array(randomBytes(NONCE_LENGTH));
    if (nonce.length !== NONCE_LENGTH)
      throw new ClientError('bad-request', `A large-blob nonce is ${NONCE_LENGTH} bytes, got ${nonce.length}.`);
    const compressed = deflateRawSync(data);
    try {
      const cipher = createCipheriv('aes-256-gcm', largeBlobKey, nonce);
      cipher.setAAD(associatedData(data.length));
      const head = cipher.update(compressed);
      const tail = cipher.final();
      const ciphertext = concatBytes(head, tail, cipher.getAuthTag());
      return new Map<number, Uint8Array | number>([
        [LargeBlobs.ENTRY.ciphertext, ciphertext],
        [LargeBlobs.ENTRY.nonce, nonce],
        [LargeBlobs.ENTRY.origSize, data.length],
      ]);
    } finally {
      zeroize(compressed);
    }
  }

  /**
   * The data of a large-blob entry sealed with `largeBlobKey`, or undefined when the entry is another credential's
   * (or not a large-blob map at all: the array is shared, so foreign entries are skipped, not errors).
   * Throws ProtocolError for an entry this key opens but whose content does not inflate to origSize bytes.
   */
  static openEntry(largeBlobKey: Uint8Array, entry: unknown): Uint8Array | undefined {
    checkKey(largeBlobKey);
    const opened = decryptEntry(largeBlobKey, entry);
    if (opened === undefined) return undefined;
    try {
      return inflate(opened.compressed, opened.origSize);
    } finally {
      zeroize(opened.compressed);
    }
  }

  readonly #ctap2: FeatureCtap2<LargeBlobsInfo>;
  readonly #token: PinUvAuthToken | undefined;

  /**
   * @param token a token with the `lbw` permission (ClientPin.PERMISSION.lbw) for writing; reading needs none, and only
   *   a key with no PIN and no built-in user verification takes writes without one
   */
  constructor(ctap2: FeatureCtap2<LargeBlobsInfo>, token?: PinUvAuthToken) {
    if (!LargeBlobs.isSupported(ctap2.info)) {
      throw new ClientError('device-not-supported', 'This key has no large-blob storage (no largeBlobs option).');
    }
    this.#ctap2 = ctap2;
    this.#token = token;
  }

  /** maxFragmentLength: the most bytes one get or set moves (section 6.10.2). */
  get maxFragmentLength(): number {
    const length = this.#ctap2.info.maxMsgSize - FRAGMENT_OVERHEAD;
    if (!(length >= 1)) {
      throw new ClientError(
        'device-not-supported',
        `This key's maxMsgSize of ${this.#ctap2.info.maxMsgSize} bytes leaves no room for large-blob fragments.`,
      );
    }
    return length;
  }

  /** The largest serialized array the key stores, hash included. */
  get maxSerializedLargeBlobArray(): number {
    return this.#ctap2.info.maxSerializedLargeBlobArray ?? MIN_SERIALIZED_ARRAY;
  }

  /** The serialized large-blob array as stored (entries then the 16-byte truncated SHA-256), read in fragments, unchecked. */
  async readSerializedArray(options: CallOptions = {}): Promise<Uint8Array> {
    const fragmentLength = this.maxFragmentLength;
    const limit = this.maxSerializedLargeBlobArray;
    const fragments: Uint8Array[] = [];
    let offset = 0;
    while (true) {
      const response = await this.#ctap2.send(
        Ctap2Cmd.LARGE_BLOBS,
        new Map([
          [LargeBlobs.PARAM.get, fragmentLength],
          [LargeBlobs.PARAM.offset, offset],
        ]),
        options,
      );
      const fragment = reqBytes(response, LargeBlobs.RESULT.config, WHERE);
      if (fragment.length > fragmentLength) {
        throw new ProtocolError(
          `${WHERE} field 0x01 (config) is ${fragment.length} bytes, more than the ${fragmentLength} asked for`,
        );
      }
      offset += fragment.length;
      if (offset > limit) {
        throw new ProtocolError(
          `the key sent a large-blob array of more than ${limit} bytes, its own maxSerializedLargeBlobArray`,
        );
      }
      fragments.push(fragment);
      // A short fragment is the last one (section 6.10.2).
      if (fragment.length < fragmentLength) return concatBytes(...fragments);
    }
  }

  /**
   * The large-blob array's entries, after checking its trailing hash. Throws ProtocolError when the hash does not
   * match (a corrupt array, e.g. after an interrupted write): the caller decides, where getBlob and putBlob follow
   * the spec and treat it as the initial empty array.
   */
  async readArray(options: CallOptions = {}): Promise<CborValue[]> {
    const read = await this.#readArray(options);
    if (read.corrupt) throw new ProtocolError(`the key's large-blob array is corrupt: ${read.reason}`);
    return read.entries;
  }

  /** Replaces the whole large-blob array with `entries` (each normally a map from sealEntry), written in fragments. */
  async writeArray(entries: readonly CborInput[], options: CallOptions = {}): Promise<void> {
    if (!Array.isArray(entries)) throw new ClientError('bad-request', 'The large-blob array must be an array.');
    const body = encodeCbor(entries);
    const serialized = concatBytes(body, truncatedHash(body));
    const limit = this.maxSerializedLargeBlobArray;
    if (serialized.length > limit) {
      throw new ClientError(
        'request-too-large',
        `The large-blob array would take ${serialized.length} bytes; this key stores at most ${limit}.`,
      );
    }
    const fragmentLength = this.maxFragmentLength;
    for (let offset = 0; offset < serialized.length; offset += fragmentLength) {
      const fragment = serialized.subarray(offset, offset + fragmentLength);
      const request = new Map<number, CborInput | undefined>([
        [LargeBlobs.PARAM.set, fragment],
        [LargeBlobs.PARAM.offset, offset],
        // The total length goes with the first fragment only (section 6.10.2).
        [LargeBlobs.PARAM.length, offset === 0 ? serialized.length : undefined],
      ]);
      const token = this.#token;
      if (token !== undefined) {
        request.set(LargeBlobs.PARAM.pinUvAuthParam, token.authenticate(setMessage(offset, fragment)));
        request.set(LargeBlobs.PARAM.pinUvAuthProtocol, token.protocol.version);
      }
      await this.#ctap2.send(Ctap2Cmd.LARGE_BLOBS, request, options);
    }
  }

  /** The blob stored for the credential whose largeBlobKey is given, or undefined when it has none. */
  async getBlob(largeBlobKey: Uint8Array, options: CallOptions = {}): Promise<Uint8Array | undefined> {
    checkKey(largeBlobKey);
    for (const entry of await this.#entriesOrInitial(options)) {
      const data = LargeBlobs.openEntry(largeBlobKey, entry);
      if (data !== undefined) return data;
    }
    return undefined;
  }

  /**
   * Stores `data` for the credential whose largeBlobKey is given, replacing what it had; `null` deletes its blob.
   * Other credentials' entries are kept as they are. Nothing is written when deleting a blob that does not exist.
   */
  async putBlob(largeBlobKey: Uint8Array, data: Uint8Array | null, options: CallOptions = {}): Promise<void> {
    checkKey(largeBlobKey);
    const entries = await this.#entriesOrInitial(options);
    // An entry this key decrypts is the credential's own, even if its content is damaged: it is replaced too.
    const kept = entries.filter((entry) => {
      const own = decryptEntry(largeBlobKey, entry);
      zeroize(own?.compressed);
      return own === undefined;
    });
    if (data === null && kept.length === entries.length) return;
    // Decoded entries are CBOR values: writeArray re-encodes them, and rejects the few (floats, undefined) CTAP cannot carry.
    const next: CborInput[] = kept as CborInput[];
    if (data !== null) next.push(LargeBlobs.sealEntry(largeBlobKey, data));
    await this.writeArray(next, options);
  }

  /** The entries; a corrupt array is the initial empty one, as section 6.10.2 requires of platforms. */
  async #entriesOrInitial(options: CallOptions): Promise<CborValue[]> {
    const read = await this.#readArray(options);
    return read.corrupt ? [] : read.entries;
  }

  async #readArray(options: CallOptions): Promise<ArrayRead> {
    const serialized = await this.readSerializedArray(options);
    if (serialized.length < 1 + HASH_LENGTH) {
      return {
        corrupt: true,
        reason: `it is ${serialized.length} bytes, shorter than the 17 of an empty array and its hash`,
      };
    }
    const body = serialized.subarray(0, serialized.length - HASH_LENGTH);
    const expected = truncatedHash(body);
    if (!equalBytes(expected, serialized.subarray(body.length))) {
      return { corrupt: true, reason: 'its trailing SHA-256 does not match its content' };
    }
    // Platforms, not the key, write the array: decode leniently, since other clients may not write canonical CBOR.
    const entries = decodeCbor(body, { lenient: true });
    if (!Array.isArray(entries))
      throw new ProtocolError(`the key's large-blob array is ${describeValue(entries)}, expected a CBOR array`);
    return { corrupt: false, entries };
  }
}

/** 32 bytes of 0xff || 0x0c 0x00 || uint32LE(offset) || SHA-256(fragment): what a set fragment's pinUvAuthParam signs (section 6.10.2). */
function setMessage(offset: number, fragment: Uint8Array): Uint8Array {
  const head = new Uint8Array(6);
  head[0] = Ctap2Cmd.LARGE_BLOBS;
  head[1] = 0x00;
  new DataView(head.buffer).setUint32(2, offset, true);
  return concatBytes(PIN_UV_AUTH_PREFIX, head, createHash('sha256').update(fragment).digest());
}

function truncatedHash(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest().subarray(0, HASH_LENGTH));
}

function associatedData(origSize: number): Uint8Array {
  const ad = new Uint8Array(AD_PREFIX.length + 8);
  ad.set(AD_PREFIX);
  new DataView(ad.buffer).setBigUint64(AD_PREFIX.length, BigInt(origSize), true);
  return ad;
}

function checkKey(largeBlobKey: Uint8Array): void {
  if (!(largeBlobKey instanceof Uint8Array) || largeBlobKey.length !== KEY_LENGTH) {
    throw new ClientError('bad-request', `A largeBlobKey is ${KEY_LENGTH} bytes.`);
  }
}

/** The fields of a large-blob map, or undefined when the value is not one (another platform's entry, say). */
function parseEntry(value: unknown): { ciphertext: Uint8Array; nonce: Uint8Array; origSize: number } | undefined {
  if (!(value instanceof Map)) return undefined;
  const entry = value as CborMap;
  try {
    const ciphertext = optBytes(entry, LargeBlobs.ENTRY.ciphertext, 'large-blob entry');
    const nonce = optBytes(entry, LargeBlobs.ENTRY.nonce, 'large-blob entry');
    const origSize = optUint(entry, LargeBlobs.ENTRY.origSize, 'large-blob entry');
    if (
      ciphertext === undefined ||
      ciphertext.length < TAG_LENGTH ||
      nonce?.length !== NONCE_LENGTH ||
      origSize === undefined
    )
      return undefined;
    return { ciphertext, nonce, origSize };
  } catch (error) {
    if (error instanceof ProtocolError) return undefined;
    throw error;
  }
}

/** The compressed plaintext of an entry sealed with `largeBlobKey` (the caller zeroes it), or undefined when it is not. */
function decryptEntry(
  largeBlobKey: Uint8Array,
  entry: unknown,
): { compressed: Uint8Array; origSize: number } | undefined {
  const parsed = parseEntry(entry);
  if (parsed === undefined) return undefined;
  const { ciphertext, nonce, origSize } = parsed;
  try {
    const decipher = createDecipheriv('aes-256-gcm', largeBlobKey, nonce);
    decipher.setAAD(associatedData(origSize));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
    const head = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH));
    const tail = decipher.final();
    const compressed = concatBytes(head, tail);
    zeroize(head, tail);
    return { compressed, origSize };
  } catch {
    // Authentication failed: sealed under another credential's key.
    return undefined;
  }
}

/**
 * Inflates a blob this key decrypted. The spec says raw DEFLATE (RFC 1951), which is what sealEntry writes; earlier
 * libfido2 and python-fido2 releases wrote zlib-wrapped streams (RFC 1950), as libfido2's own recording shows, so
 * those are read too.
 */
function inflate(compressed: Uint8Array, origSize: number): Uint8Array {
  if (origSize > bufferConstants.MAX_LENGTH) {
    throw new ProtocolError(`a large blob claims an origSize of ${origSize} bytes, more than a buffer can hold`);
  }
  // maxOutputLength stops a stream that inflates past origSize before it fills memory; it must be at least 1.
  const limit = { maxOutputLength: Math.max(1, origSize) };
  for (const method of [inflateRawSync, inflateSync]) {
    let data: Uint8Array;
    try {
      data = method(compressed, limit);
    } catch {
      continue;
    }
    if (data.length === origSize) {
      const out = new Uint8Array(data);
      zeroize(data);
      return out;
    }
    zeroize(data);
  }
  throw new ProtocolError(`a large blob opened with this key does not inflate to its origSize of ${origSize} bytes`);
}
