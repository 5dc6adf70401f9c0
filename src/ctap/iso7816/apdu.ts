// ISO/IEC 7816-4 command and response APDUs: short and extended encodings, command chaining, status words.

import { concatBytes, copyBytes } from '../bytes.js';
import { TransportError } from '../errors.js';
import { CLA_CHAINING, EXTENDED_MAX_LC, EXTENDED_MAX_NE, SHORT_MAX_LC, SHORT_MAX_NE } from './constants.js';

export type ApduForm = 'short' | 'extended';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /**
   * Ne, the most response bytes the command asks for; 0 leaves the Le field out. SHORT_MAX_NE (short) or
   * EXTENDED_MAX_NE (extended) is encoded as Le 00 / 0000: "everything you have".
   */
  ne: number;
}

export interface ParsedCommandApdu extends CommandApdu {
  /** The encoding the command arrived in; a command with neither Lc nor Le counts as short. */
  form: ApduForm;
}

export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  sw: number;
}

/** Encodes a command in the short (Lc and Le one byte each) or extended (three-byte Lc, two-byte Le) form. */
export function encodeCommandApdu(cmd: CommandApdu, form: ApduForm): Uint8Array {
  const { data, ne } = cmd;
  const maxLc = form === 'short' ? SHORT_MAX_LC : EXTENDED_MAX_LC;
  const maxNe = form === 'short' ? SHORT_MAX_NE : EXTENDED_MAX_NE;
  if (data.length > maxLc) {
    throw new TransportError('too-large', `${data.length} data bytes do not fit a ${form} APDU (at most ${maxLc})`);
  }
  if (!Number.isInteger(ne) || ne < 0 || ne > maxNe) {
    throw new RangeError(`Ne ${ne} is out of range for a ${form} APDU (0..${maxNe})`);
  }
  const head = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  let le: number[];
  if (form === 'short') {
    if (data.length > 0) head.push(data.length);
    le = ne === 0 ? [] : [ne === SHORT_MAX_NE ? 0 : ne];
  } else {
    // One 00 byte marks the extended form, then Lc (if data) and Le (if any) take two bytes each (ISO/IEC 7816-4 5.1).
    if (data.length > 0 || ne > 0) head.push(0);
    if (data.length > 0) head.push(data.length >> 8, data.length & 0xff);
    le = ne === 0 ? [] : ne === EXTENDED_MAX_NE ? [0, 0] : [ne >> 8, ne & 0xff];
  }
  return concatBytes(Uint8Array.from(head), data, Uint8Array.from(le));
}

/**
 * Decodes a command APDU in any of the seven ISO/IEC 7816-3 cases; throws TransportError('framing') when the lengths do
 * not add up. One form outside ISO is taken as U2F keys take it: `CLA INS P1 P2 00 0000 LeLe`, an extended Lc of 0000
 * before the Le, is how U2F Raw Message Formats' framing (and so python-fido2 and libfido2) sends a request without
 * data such as U2F_VERSION; it reads as case 2E. (`CLA INS P1 P2 00 LeLe`, three bytes after the header, is case 2E
 * itself: its two bytes after the 00 are Le, not Lc.)
 */
export function parseCommandApdu(bytes: Uint8Array): ParsedCommandApdu {
  if (bytes.length < 4) {
    throw new TransportError('framing', `command APDU of ${bytes.length} bytes, expected at least the 4 header bytes`);
  }
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.length - 4;
  const base = { cla, ins, p1, p2 };
  if (body === 0) return { ...base, data: new Uint8Array(0), ne: 0, form: 'short' };
  const b4 = bytes[4]!;
  if (body === 1) return { ...base, data: new Uint8Array(0), ne: b4 === 0 ? SHORT_MAX_NE : b4, form: 'short' };
  if (b4 !== 0) {
    const lc = b4;
    if (body === 1 + lc) return { ...base, data: copyBytes(bytes.subarray(5, 5 + lc)), ne: 0, form: 'short' };
    if (body === 2 + lc) {
      const le = bytes[5 + lc]!;
      return { ...base, data: copyBytes(bytes.subarray(5, 5 + lc)), ne: le === 0 ? SHORT_MAX_NE : le, form: 'short' };
    }
    throw new TransportError('framing', `short APDU announces Lc ${lc} but carries ${body - 1} bytes after it`);
  }
  if (body === 3) {
    const le = (bytes[5]! << 8) | bytes[6]!;
    return { ...base, data: new Uint8Array(0), ne: le === 0 ? EXTENDED_MAX_NE : le, form: 'extended' };
  }
  if (body < 3)
    throw new TransportError('framing', `APDU body of ${body} bytes starting with 00 is neither short nor extended`);
  const lc = (bytes[5]! << 8) | bytes[6]!;
  if (lc === 0) {
    if (body !== 5)
      throw new TransportError(
        'framing',
        `extended APDU with Lc 0000 and ${body - 3} bytes after it, expected exactly a 2-byte Le`,
      );
    const le = (bytes[7]! << 8) | bytes[8]!;
    return { ...base, data: new Uint8Array(0), ne: le === 0 ? EXTENDED_MAX_NE : le, form: 'extended' };
  }
  if (body === 3 + lc) return { ...base, data: copyBytes(bytes.subarray(7, 7 + lc)), ne: 0, form: 'extended' };
  if (body === 5 + lc) {
    const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
    return {
      ...base,
      data: copyBytes(bytes.subarray(7, 7 + lc)),
      ne: le === 0 ? EXTENDED_MAX_NE : le,
      form: 'extended',
    };
  }
  throw new TransportError('framing', `extended APDU announces Lc ${lc} but carries ${body - 3} bytes after it`);
}

/**
 * Splits a command into an ISO/IEC 7816-4 chain of short APDUs with at most `chunkSize` data bytes each: all but the
 * last carry CLA bit 0x10 and no Le; the last carries the command's own Ne.
 */
export function chainCommand(cmd: CommandApdu, chunkSize: number): CommandApdu[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > SHORT_MAX_LC) {
    throw new RangeError(`chain chunk size must be 1..${SHORT_MAX_LC}, got ${chunkSize}`);
  }
  const out: CommandApdu[] = [];
  let offset = 0;
  while (cmd.data.length - offset > chunkSize) {
    out.push({ ...cmd, cla: cmd.cla | CLA_CHAINING, data: cmd.data.subarray(offset, offset + chunkSize), ne: 0 });
    offset += chunkSize;
  }
  out.push({ ...cmd, data: cmd.data.subarray(offset) });
  return out;
}

/** Splits a response APDU into data and SW1 SW2; throws TransportError('framing') if the status word is missing. */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) {
    throw new TransportError('framing', `response APDU of ${bytes.length} bytes, expected at least SW1 SW2`);
  }
  const n = bytes.length;
  return { data: bytes.subarray(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Four hex digits, the way status words are written in specs and logs. */
export function formatStatusWord(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
