// authenticatorLargeBlobs on the virtual key (CTAP 2.2 section 6.10): the serialized large-blob array, read and written in fragments.

import { createHash } from 'node:crypto';
import { concatBytes, equalBytes } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { Ctap2Cmd } from '../../ctap2/constants.js';
import { PIN_UV_AUTH_PREFIX } from '../../ctap2/featureAuth.js';
import { LargeBlobs } from '../../ctap2/LargeBlobs.js';
import { CtapStatus } from '../../ctapStatus.js';
import { hasOption } from '../features.js';
import { CtapStatusError } from './CtapStatusError.js';
import { isProtected, type CommandContext, type Ctap2CommandHandler } from './context.js';
import { optBytes, optUint, reqUint } from './params.js';
import { verifyFeatureToken } from './pinUvAuth.js';

const { PARAM, RESULT } = LargeBlobs;

/** Section 6.10.2: maxFragmentLength is maxMsgSize minus 64, room for the rest of a set request. */
const FRAGMENT_OVERHEAD = 64;
/** The truncated SHA-256 that ends the serialized array. */
const HASH_SIZE = 16;
/** The smallest serialized array: an empty CBOR array and its hash. */
const MIN_SERIALIZED_LENGTH = 1 + HASH_SIZE;

export const largeBlobsCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'largeBlobs') && profile.maxSerializedLargeBlobArray !== undefined,
  run: largeBlobs,
};

async function largeBlobs(ctx: CommandContext, params: CborMap): Promise<CborInput | undefined> {
  const get = optUint(params, PARAM.get);
  const set = optBytes(params, PARAM.set);
  const offset = reqUint(params, PARAM.offset);
  const length = optUint(params, PARAM.length);
  const maxFragmentLength = ctx.profile.maxMsgSize - FRAGMENT_OVERHEAD;
  if ((get === undefined) === (set === undefined)) {
    throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'exactly one of get and set is required');
  }
  if (get !== undefined) {
    if (length !== undefined)
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'length belongs to set');
    if (get > maxFragmentLength)
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_LENGTH,
        `get ${get} exceeds maxFragmentLength ${maxFragmentLength}`,
      );
    const stored = ctx.state.largeBlobArray;
    if (offset > stored.length)
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
        `offset ${offset} is past the ${stored.length}-byte array`,
      );
    return new Map([[RESULT.config, stored.slice(offset, offset + get)]]);
  }
  return write(ctx, params, set!, offset, length, maxFragmentLength);
}

/** set (section 6.10.2): fragments arrive in order; the last one is checked against the array's own hash, then stored. */
function write(
  ctx: CommandContext,
  params: CborMap,
  fragment: Uint8Array,
  offset: number,
  length: number | undefined,
  maxFragmentLength: number,
): undefined {
  const { session, profile } = ctx;
  if (fragment.length > maxFragmentLength) {
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_LENGTH,
      `set of ${fragment.length} bytes exceeds maxFragmentLength ${maxFragmentLength}`,
    );
  }
  if (offset === 0) {
    if (length === undefined)
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
        'the first fragment must give the total length',
      );
    if (length > (profile.maxSerializedLargeBlobArray ?? 0)) {
      throw new CtapStatusError(
        CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL,
        `${length} bytes exceed maxSerializedLargeBlobArray ${profile.maxSerializedLargeBlobArray}`,
      );
    }
    if (length < MIN_SERIALIZED_LENGTH)
      throw new CtapStatusError(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
        `a serialized array has at least ${MIN_SERIALIZED_LENGTH} bytes`,
      );
  } else {
    if (length !== undefined)
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, 'only the first fragment gives the length');
    if (!session.largeBlobWrite || offset !== session.largeBlobWrite.expectedNextOffset) {
      throw new CtapStatusError(CtapStatus.CTAP1_ERR_INVALID_SEQ, `fragment at offset ${offset} is out of sequence`);
    }
  }

  // A protected key writes only for a token with the lbw permission, over
  // 32 x 0xff || 0x0c 0x00 || uint32LE(offset) || SHA-256(fragment).
  if (isProtected(ctx) || ctx.state.alwaysUv) {
    const head = new Uint8Array(6);
    head[0] = Ctap2Cmd.LARGE_BLOBS;
    new DataView(head.buffer).setUint32(2, offset, true);
    verifyFeatureToken(ctx, {
      pinUvAuthProtocol: optUint(params, PARAM.pinUvAuthProtocol),
      pinUvAuthParam: optBytes(params, PARAM.pinUvAuthParam),
      message: concatBytes(PIN_UV_AUTH_PREFIX, head, createHash('sha256').update(fragment).digest()),
      permission: ClientPin.PERMISSION.lbw,
    });
  }

  if (offset === 0) session.largeBlobWrite = { expectedLength: length!, received: [], expectedNextOffset: 0 };
  const pending = session.largeBlobWrite!;
  if (offset + fragment.length > pending.expectedLength) {
    session.largeBlobWrite = undefined;
    throw new CtapStatusError(
      CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      `fragment ends past the announced ${pending.expectedLength} bytes`,
    );
  }
  pending.received.push(fragment.slice());
  pending.expectedNextOffset += fragment.length;
  if (pending.expectedNextOffset === pending.expectedLength) {
    session.largeBlobWrite = undefined;
    const serialized = concatBytes(...pending.received);
    const body = serialized.subarray(0, serialized.length - HASH_SIZE);
    const hash = createHash('sha256').update(body).digest().subarray(0, HASH_SIZE);
    if (!equalBytes(hash, serialized.subarray(serialized.length - HASH_SIZE))) {
      throw new CtapStatusError(
        CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE,
        'the array does not end with LEFT(SHA-256(array), 16)',
      );
    }
    ctx.state.largeBlobArray = serialized;
  }
  return undefined;
}
