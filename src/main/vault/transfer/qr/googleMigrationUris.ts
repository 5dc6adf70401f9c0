// Writes entries as Google Authenticator transfer codes: otpauth-migration://offline?data=<protobuf MigrationPayload>.

import { randomInt } from 'node:crypto';
import { zeroize } from '../../../secrets/zeroize.js';
import type { VaultEntry } from '../../entries/index.js';
import { decodeBase32Secret } from '../../entries/base32Secret.js';
import { GoogleMigrationError, type GoogleMigrationMisfit } from './GoogleMigrationError.js';
import { ProtobufWriter } from './protobufWriter.js';

/**
 * Field numbers and enums of Google Authenticator's `MigrationPayload` (its export QR codes; the schema as published by
 * the projects that read them, e.g. Aegis' GoogleAuthInfo and 2FAuth's GoogleAuthMigrator).
 */
const PAYLOAD = { otpParameters: 1, version: 2, batchSize: 3, batchIndex: 4, batchId: 5 } as const;
const OTP = { secret: 1, name: 2, issuer: 3, algorithm: 4, digits: 5, type: 6, counter: 7 } as const;
const ALGORITHM = { sha1: 1, sha256: 2, sha512: 3, md5: 4 } as const;
const DIGITS: Readonly<Record<number, number>> = { 6: 1, 8: 2 };
const TYPE = { hotp: 1, totp: 2 } as const;
const PAYLOAD_VERSION = 1;

/** Google Authenticator puts 10 accounts in one code; more makes a dense code that phones read badly. */
export const DEFAULT_MAX_PER_CODE = 10;

/**
 * Payload bytes past which a code takes no further entry: about 1,600 characters of URI, a version 30-odd QR code at
 * error correction M, still read from a screen. An entry larger on its own (a long secret and 255-character names)
 * gets a code of its own.
 */
const MAX_PAYLOAD_BYTES = 1200;

export interface GoogleMigrationUrisOptions {
  /** At most this many entries per code. @default DEFAULT_MAX_PER_CODE */
  maxPerCode?: number;
  /** The transfer's batch_id, shared by its codes. @default a random positive 31-bit integer */
  batchId?: number;
}

/**
 * Why Google Authenticator's transfer cannot carry the entry, or undefined when it can. The format has no period (30
 * seconds is implied), knows 6 and 8 digits only, and has no Steam type: such an entry would arrive giving wrong codes.
 */
export function googleMigrationMisfit(entry: VaultEntry): string | undefined {
  if (entry.otp_type === 'steamtotp') return 'is a Steam entry, a type the transfer has no value for';
  if (DIGITS[entry.digits] === undefined) return `has ${entry.digits} digits, expected 6 or 8`;
  if (entry.otp_type === 'totp' && entry.period !== 30) return `changes every ${entry.period} s, expected 30`;
  return undefined;
}

/**
 * The transfer as one or more URIs, in order, each a code of its own with `batch_size`, `batch_index` (from 0) and the
 * shared `batch_id`, version 1; no entries, no codes. Every entry must fit (googleMigrationMisfit): otherwise a GoogleMigrationError names
 * those that do not, and nothing is written. The URIs hold the secrets: show them only on an explicit export.
 */
export function googleMigrationUris(
  entries: readonly VaultEntry[],
  options: GoogleMigrationUrisOptions = {},
): string[] {
  const { maxPerCode = DEFAULT_MAX_PER_CODE, batchId = randomInt(1, 2 ** 31) } = options;
  if (!Number.isInteger(maxPerCode) || maxPerCode < 1)
    throw new RangeError(`maxPerCode must be a whole number of at least 1, got ${maxPerCode}`);
  const misfits: GoogleMigrationMisfit[] = [];
  for (const entry of entries) {
    const reason = googleMigrationMisfit(entry);
    if (reason)
      misfits.push({ id: entry.id, label: `${entry.service}${entry.account ? ` (${entry.account})` : ''}`, reason });
  }
  if (misfits.length) throw new GoogleMigrationError(misfits);
  const writers = entries.map(otpParameters);
  try {
    const batches = packBatches(
      writers.map((writer) => writer.finish()),
      maxPerCode,
    );
    return batches.map((batch, index) => migrationUri(batch, { index, size: batches.length, batchId }));
  } finally {
    for (const writer of writers) writer.wipe();
  }
}

function otpParameters(entry: VaultEntry): ProtobufWriter {
  const secret = decodeBase32Secret(entry.secret);
  const writer = new ProtobufWriter()
    .bytes(OTP.secret, new Uint8Array(secret.bytes))
    // Google Authenticator shows `name` as the account under the issuer; without an account it shows the issuer alone.
    .string(OTP.name, migrationName(entry))
    .string(OTP.issuer, entry.service)
    .varint(OTP.algorithm, ALGORITHM[entry.algorithm])
    .varint(OTP.digits, DIGITS[entry.digits]!)
    .varint(OTP.type, entry.otp_type === 'hotp' ? TYPE.hotp : TYPE.totp);
  zeroize(secret.bytes);
  if (entry.otp_type === 'hotp') writer.varint(OTP.counter, entry.counter ?? 0);
  return writer;
}

/**
 * The account, or `service:account` when the account itself starts with the service and a colon: readers (Latchkey's
 * and Google Authenticator's) take a name `issuer:account` as the account under that issuer and would cut the prefix.
 */
function migrationName(entry: VaultEntry): string {
  const colon = entry.account.indexOf(':');
  return colon >= 0 && entry.account.slice(0, colon).trim() === entry.service
    ? `${entry.service}:${entry.account}`
    : entry.account;
}

/** Greedy, in order: a code takes entries while it has fewer than maxPerCode and stays within MAX_PAYLOAD_BYTES. */
function packBatches(messages: Buffer[], maxPerCode: number): Buffer[][] {
  const batches: Buffer[][] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const message of messages) {
    if (current.length && (current.length >= maxPerCode || size + message.length > MAX_PAYLOAD_BYTES)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += message.length + 4;
  }
  if (current.length) batches.push(current);
  return batches;
}

function migrationUri(messages: Buffer[], batch: { index: number; size: number; batchId: number }): string {
  const payload = new ProtobufWriter();
  for (const message of messages) payload.bytes(PAYLOAD.otpParameters, message);
  payload
    .varint(PAYLOAD.version, PAYLOAD_VERSION)
    .varint(PAYLOAD.batchSize, batch.size)
    .varint(PAYLOAD.batchIndex, batch.index)
    .varint(PAYLOAD.batchId, batch.batchId);
  const bytes = payload.finish();
  try {
    return `otpauth-migration://offline?data=${encodeURIComponent(bytes.toString('base64'))}`;
  } finally {
    zeroize(bytes);
    payload.wipe();
  }
}
