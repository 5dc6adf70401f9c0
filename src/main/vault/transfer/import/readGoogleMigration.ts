// Reads Google Authenticator transfer URIs (otpauth-migration://offline?data=...), joining the QR codes of one transfer.

import type { EntryInput } from '../../entries/index.js';
import { zeroize } from '../../../secrets/zeroize.js';
import { base32FromBytes } from './base32FromBytes.js';
import { entrySource, type ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import { decodeMigrationPayload, type MigrationPayload, type OtpParameters } from './migrationPayload.js';

/**
 * The largest QR code (version 40, alphanumeric mode) holds 4,296 characters: a longer transfer URI came from no QR
 * code, and refusing it before decoding bounds the memory one line can take.
 */
export const MAX_MIGRATION_URI_LENGTH = 4296;

/** Google Authenticator splits a transfer into QR codes of about ten accounts; 1,000 parts is far beyond any. */
const MAX_BATCH_SIZE = 1000;

/** The enums of the .proto, UNSPECIFIED (0) read as Google Authenticator itself reads it: SHA1, six digits, TOTP. */
const ALGORITHMS: Readonly<Record<number, string>> = { 0: 'sha1', 1: 'sha1', 2: 'sha256', 3: 'sha512', 4: 'md5' };
const DIGITS: Readonly<Record<number, number>> = { 0: 6, 1: 6, 2: 8 };
const TYPES: Readonly<Record<number, 'totp' | 'hotp'>> = { 0: 'totp', 1: 'hotp', 2: 'totp' };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface UriLine {
  /** The line number in the file, from 1. */
  line: number;
  uri: string;
}

interface Part {
  line: number;
  payload: MigrationPayload;
}

/**
 * Adds the accounts of every transfer URI to `collector`. A URI that cannot be decoded (too long, not base64, a
 * damaged protobuf) is an ImportError for the file: it is the file's structure, not one account. An account that
 * checkEntry refuses, a QR code read twice, and each part missing from a transfer are listed as not imported.
 */
export function readGoogleMigration(lines: readonly UriLine[], collector: ImportCollector): void {
  const parts: Part[] = [];
  const buffers: Uint8Array[] = [];
  try {
    for (const { line, uri } of lines) {
      const bytes = payloadBytes(line, uri);
      buffers.push(bytes);
      const payload = decodeMigrationPayload(bytes, `the Google Authenticator transfer on line ${line}`);
      checkBatch(line, payload);
      parts.push({ line, payload });
    }
    const seen = new Map<number, Set<number>>();
    for (const { line, payload } of parts) {
      const batched = payload.batchSize > 1;
      const where = batched ? `line ${line} (part ${payload.batchIndex + 1} of ${payload.batchSize})` : `line ${line}`;
      if (batched) {
        const indexes = seen.get(payload.batchId) ?? new Set<number>();
        seen.set(payload.batchId, indexes);
        if (indexes.has(payload.batchIndex)) {
          collector.refuse(
            where,
            'this QR code of the transfer was already read on an earlier line: its accounts are read once',
          );
          continue;
        }
        indexes.add(payload.batchIndex);
      }
      payload.otpParameters.forEach((otp, i) => {
        const { input, name } = entryInput(otp);
        const source = `${where}, ${entrySource(i + 1, name, 'account')}`;
        if (TYPES[otp.type] === undefined)
          collector.refuse(source, `the otp type ${otp.type} is not one Google Authenticator defines (1 HOTP, 2 TOTP)`);
        else if (ALGORITHMS[otp.algorithm] === undefined)
          collector.refuse(source, `the algorithm ${otp.algorithm} is not one Google Authenticator defines (1 to 4)`);
        else if (DIGITS[otp.digits] === undefined)
          collector.refuse(source, `the digits ${otp.digits} is not one Google Authenticator defines (1 six, 2 eight)`);
        else collector.add(source, input);
      });
    }
    for (const part of parts) {
      const { batchId, batchSize } = part.payload;
      const indexes = seen.get(batchId);
      if (batchSize <= 1 || indexes === undefined) continue;
      seen.delete(batchId);
      for (let index = 0; index < batchSize; index++)
        if (!indexes.has(index))
          collector.refuse(
            `Google Authenticator transfer, part ${index + 1} of ${batchSize}`,
            `part ${index + 1} of ${batchSize} of the transfer is not in the file: its accounts are missing until that QR code is read too`,
          );
    }
  } finally {
    for (const bytes of buffers) zeroize(bytes);
  }
}

/** The payload's bytes from the URI's `data` parameter, standard or URL-safe base64, %-encoded or not. */
function payloadBytes(line: number, uri: string): Uint8Array {
  const what = `the Google Authenticator transfer on line ${line}`;
  if (uri.length > MAX_MIGRATION_URI_LENGTH)
    throw new ImportError(
      'too-large',
      `${what} has ${uri.length} characters, more than the ${MAX_MIGRATION_URI_LENGTH} a QR code can hold`,
    );
  const match = /^otpauth-migration:\/\/offline\/?\?(?:.*&)?data=([^&#]*)/i.exec(uri.trim());
  if (match === null)
    throw new ImportError('damaged', `${what} has no data parameter: expected otpauth-migration://offline?data=...`);
  let data: string;
  try {
    data = decodeURIComponent(match[1]!);
  } catch {
    throw new ImportError('damaged', `${what} has a broken %-escape in its data parameter`);
  }
  const base64 = data.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  if (!BASE64.test(base64) || base64.length % 4 === 1)
    throw new ImportError('damaged', `${what} has a data parameter that is not base64`);
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function checkBatch(line: number, payload: MigrationPayload): void {
  const { batchSize, batchIndex } = payload;
  if (batchSize < 0 || batchSize > MAX_BATCH_SIZE || batchIndex < 0 || (batchSize > 0 && batchIndex >= batchSize))
    throw new ImportError(
      'damaged',
      `the Google Authenticator transfer on line ${line} says it is part ${batchIndex + 1} of ${batchSize}, expected a part from 1 to a total of at most ${MAX_BATCH_SIZE}`,
    );
}

/** Google Authenticator's name is `issuer:account` or `account`; the issuer field, when set, wins. `name` is for the source. */
function entryInput(otp: OtpParameters): { input: EntryInput; name: string } {
  let service = otp.issuer.trim();
  let account = otp.name.trim();
  const colon = account.indexOf(':');
  if (colon >= 0) {
    const prefix = account.slice(0, colon).trim();
    if (service === '' || prefix === service) {
      service = prefix;
      account = account.slice(colon + 1).trim();
    }
  }
  if (service === '') {
    service = account;
    account = '';
  }
  const type = TYPES[otp.type];
  const counter = otp.counter;
  const input: EntryInput = {
    otp_type: type,
    service,
    account,
    secret: base32FromBytes(otp.secret),
    algorithm: ALGORITHMS[otp.algorithm],
    digits: DIGITS[otp.digits],
    counter:
      type === 'hotp'
        ? counter >= 0n && counter <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(counter)
          : String(counter)
        : undefined,
  };
  return { input, name: service };
}
