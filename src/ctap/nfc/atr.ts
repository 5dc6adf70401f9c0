// Reading a card's answer to reset (ISO/IEC 7816-3 section 8.2) far enough to learn what its historical bytes say it can
// do (ISO/IEC 7816-4 section 8.1.1): above all, whether it takes extended-length APDUs.

import { toHex } from '../bytes.js';
import { ProtocolError } from '../errors.js';

export interface Atr {
  /** T=0, T=1, ... as the TDi bytes announce them; [0] when none is announced (T=0 is then implied). */
  protocols: number[];
  /** The card's own bytes (for contactless cards, the reader copies them from the ATS or ATQB). */
  historicalBytes: Uint8Array;
  /** From the historical bytes' card-capabilities object (compact-TLV tag 7); undefined when the card states none. */
  capabilities?: CardCapabilities;
}

export interface CardCapabilities {
  /** Third software-function byte, bit b8: the card takes command chaining (CLA bit 0x10). */
  commandChaining: boolean;
  /** Third software-function byte, bit b7: the card takes extended Lc and Le fields. */
  extendedLengths: boolean;
}

/** Initial character TS: direct (0x3B) or inverse (0x3F) convention; anything else is not an ATR. */
const TS_VALUES: ReadonlySet<number> = new Set([0x3b, 0x3f]);
/** Compact-TLV tag of the card-capabilities object, whose third byte is the one we read. */
const CARD_CAPABILITIES_TAG = 0x7;
/** Category indicators: 0x80 = compact-TLV objects only; 0x00 = compact-TLV objects then three status bytes. */
const CATEGORY_TLV = 0x80;
const CATEGORY_TLV_THEN_STATUS = 0x00;

/**
 * Splits an ATR into its parts. Rejects with ProtocolError naming the fault when the bytes cannot be an ATR: wrong
 * initial character, interface or historical bytes cut short, or a check byte TCK that does not match.
 */
export function parseAtr(atr: Uint8Array): Atr {
  const fail = (why: string): never => {
    throw new ProtocolError(`ATR ${toHex(atr)}: ${why}`);
  };
  if (atr.length < 2) fail(`${atr.length} bytes, an ATR has at least TS and T0`);
  if (!TS_VALUES.has(atr[0]!)) fail(`initial character 0x${atr[0]!.toString(16)} is neither 0x3b nor 0x3f`);
  const t0 = atr[1]!;
  const historicalLength = t0 & 0x0f;
  const protocols: number[] = [];
  let presence = t0 >> 4; // which of TAi TBi TCi TDi follow, as bits 1, 2, 4, 8
  let at = 2;
  for (;;) {
    const present = [1, 2, 4].filter((bit) => presence & bit).length;
    at += present;
    if (!(presence & 8)) break;
    if (at >= atr.length) fail('the interface bytes end before the TD byte they announce');
    const td = atr[at]!;
    at += 1;
    protocols.push(td & 0x0f);
    presence = td >> 4;
  }
  if (at + historicalLength > atr.length) {
    fail(
      `T0 announces ${historicalLength} historical bytes but ${Math.max(0, atr.length - at)} follow the interface bytes`,
    );
  }
  const historicalBytes = atr.slice(at, at + historicalLength);
  at += historicalLength;
  // ISO/IEC 7816-3 section 8.2.5: TCK is present unless T=0 is the only protocol indicated.
  const hasTck = protocols.some((t) => t !== 0);
  if (hasTck) {
    if (at >= atr.length) fail('TCK is missing (a protocol other than T=0 is indicated)');
    let xor = 0;
    for (let i = 1; i <= at; i++) xor ^= atr[i]!;
    if (xor !== 0) fail(`TCK 0x${atr[at]!.toString(16)} does not check (XOR of T0..TCK is 0x${xor.toString(16)})`);
    at += 1;
  }
  if (at !== atr.length) fail(`${atr.length - at} bytes follow the end of the ATR`);
  const capabilities = readCapabilities(historicalBytes);
  return { protocols: protocols.length > 0 ? protocols : [0], historicalBytes, ...(capabilities && { capabilities }) };
}

/**
 * The card-capabilities object of the historical bytes, when they are in the compact-TLV format and hold one. Other
 * formats (proprietary first bytes, 0x10 DIR references) state nothing we can read.
 */
function readCapabilities(historical: Uint8Array): CardCapabilities | undefined {
  const value = compactTlvObjects(historical).find((o) => o.tag === CARD_CAPABILITIES_TAG)?.value;
  if (!value || value.length < 3) return undefined;
  const third = value[2]!;
  return { commandChaining: (third & 0x80) !== 0, extendedLengths: (third & 0x40) !== 0 };
}

/**
 * The compact-TLV objects of historical bytes whose category indicator is 0x80 (objects only) or 0x00 (objects, then
 * three status bytes), in order; [] for other formats. A run cut short ends the list: nothing in it can be trusted.
 */
export function compactTlvObjects(historical: Uint8Array): { tag: number; value: Uint8Array }[] {
  const category = historical[0];
  let end = historical.length;
  if (category === CATEGORY_TLV_THEN_STATUS) end -= 3;
  else if (category !== CATEGORY_TLV) return [];
  const objects: { tag: number; value: Uint8Array }[] = [];
  let at = 1;
  while (at < end) {
    const tag = historical[at]! >> 4;
    const length = historical[at]! & 0x0f;
    if (at + 1 + length > end) break;
    objects.push({ tag, value: historical.subarray(at + 1, at + 1 + length) });
    at += 1 + length;
  }
  return objects;
}

/**
 * The ATR a PC/SC reader makes up for an ISO 14443-4 (contactless) card (PC/SC Part 3 supplement for contactless
 * cards): 3B 8n 80 01 (T=1), the n historical bytes from the card's ATS, and TCK, the XOR of T0 to the last byte.
 */
export function contactlessAtr(historicalBytes: Uint8Array): Uint8Array {
  if (historicalBytes.length > 15)
    throw new RangeError(`an ATR holds at most 15 historical bytes, got ${historicalBytes.length}`);
  const atr = Uint8Array.of(0x3b, 0x80 | historicalBytes.length, 0x80, 0x01, ...historicalBytes, 0);
  let tck = 0;
  for (let i = 1; i < atr.length - 1; i++) tck ^= atr[i]!;
  atr[atr.length - 1] = tck;
  return atr;
}
