// NFC / ISO 7816 numbers for CTAP (CTAP 2.2 section 11.3 "ISO7816, ISO14443 and Near Field Communication (NFC)").

/** Section 11.3.3 "Applet selection": the FIDO applet's AID (RID A000000647 of the FIDO Alliance, PIX 2F0001). */
export const FIDO_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x06, 0x47, 0x2f, 0x00, 0x01);

/**
 * Section 11.3.3: the version string a successful SELECT answers. A key that also speaks CTAP1/U2F answers
 * U2F_V2 even when it speaks CTAP2 too; only CTAP2-only keys answer FIDO_2_0.
 */
export const FidoAppletVersion = {
  U2F_V2: 'U2F_V2',
  FIDO_2_0: 'FIDO_2_0',
} as const;

export type FidoAppletVersion = (typeof FidoAppletVersion)[keyof typeof FidoAppletVersion];

/** ISO/IEC 7816-4 section 5.1.1: bit 5 of CLA marks every command of a chain but the last. */
export const CLA_CHAINING = 0x10;

/** ISO/IEC 7816-4 inter-industry instructions the FIDO applet uses. */
export const Iso7816Ins = {
  SELECT: 0xa4,
  GET_RESPONSE: 0xc0,
} as const;

/** SELECT P1: select by DF name (the AID). */
export const SELECT_BY_NAME = 0x04;

/** Section 11.3 NFCCTAP commands: proprietary class 0x80. */
export const NFCCTAP_CLA = 0x80;

/** Section 11.3: NFCCTAP instructions. */
export const NfcCtapIns = {
  /** NFCCTAP_MSG: one CTAP2 request (command byte + CBOR) in, status byte + CBOR out. */
  MSG: 0x10,
  /** NFCCTAP_GETRESPONSE: poll a request the authenticator answered with 9100, or cancel it. */
  GET_RESPONSE: 0x11,
} as const;

/** Section 11.3: P1 values of the NFCCTAP commands. */
export const NfcCtapP1 = {
  /** NFCCTAP_MSG P1: the client supports NFCCTAP_GETRESPONSE, so the card may answer 9100 instead of blocking. */
  SUPPORTS_GET_RESPONSE: 0x80,
  /** NFCCTAP_GETRESPONSE P1: cancel the pending request (the CTAPHID_CANCEL command code). */
  CANCEL: 0x11,
} as const;

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

/** Data bytes per chained short APDU unless told otherwise (python-fido2 uses 250; it leaves room for readers with small buffers). */
export const DEFAULT_CHAIN_CHUNK = 250;
