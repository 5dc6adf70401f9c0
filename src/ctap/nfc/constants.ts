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

/**
 * CTAP 2.2 section 6.4: the authenticatorGetInfo command byte. The one CTAP2 request the transport sends itself, to learn
 * whether a U2F_V2 applet speaks CTAP2 too (section 11.3.3).
 */
export const AUTHENTICATOR_GET_INFO = 0x04;

/** Data bytes per chained short APDU unless told otherwise (python-fido2 uses 250; it leaves room for readers with small buffers). */
export const DEFAULT_CHAIN_CHUNK = 250;
