// ISO/IEC 7816-4 numbers: command chaining, inter-industry instructions, status words and APDU length limits.

/** ISO/IEC 7816-4 section 5.1.1: bit 5 of CLA marks every command of a chain but the last. */
export const CLA_CHAINING = 0x10;

/** ISO/IEC 7816-4 inter-industry instructions the FIDO applet uses. */
export const Iso7816Ins = {
  SELECT: 0xa4,
  GET_RESPONSE: 0xc0,
} as const;

/** SELECT P1: select by DF name (the AID). */
export const SELECT_BY_NAME = 0x04;

/** Status words (ISO/IEC 7816-4 section 5.6, plus section 11.3's 9100). */
export const StatusWord = {
  OK: 0x9000,
  /** Section 11.3: the request is still being processed; the data carries the keepalive status. */
  STATUS_UPDATE: 0x9100,
  WRONG_LENGTH: 0x6700,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/** ISO/IEC 7816-4: SW1 61, SW2 = how many more bytes GET RESPONSE can fetch (00 meaning 256 or more). */
export const SW1_MORE_DATA = 0x61;

/** Largest Lc of a short APDU and the largest Ne a short Le can ask for. */
export const SHORT_MAX_LC = 255;
export const SHORT_MAX_NE = 256;
/** Largest Lc of an extended APDU and the largest Ne an extended Le can ask for. */
export const EXTENDED_MAX_LC = 65_535;
export const EXTENDED_MAX_NE = 65_536;
