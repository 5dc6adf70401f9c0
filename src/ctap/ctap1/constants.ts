// CTAP1/U2F numbers (FIDO U2F Raw Message Formats v1.2; CTAP 2.2 section 11 carries them in CTAPHID_MSG and over NFC).

/** Raw Message Formats "U2F Message Framing": the CLA of every U2F command. */
export const U2F_CLA = 0x00;

/** Raw Message Formats "Registration", "Authentication" and "GetVersion" request messages: U2F instructions. */
export const U2fIns = {
  REGISTER: 0x01,
  AUTHENTICATE: 0x02,
  VERSION: 0x03,
} as const;

/** Raw Message Formats "Authentication Request Message": the control byte (P1). */
export const U2fAuthenticateP1 = {
  /** Only ask whether the key handle is the key's own: answers 6985 (it is) or 6A80 (it is not), never signs. */
  CHECK_ONLY: 0x07,
  ENFORCE_USER_PRESENCE_AND_SIGN: 0x03,
  DONT_ENFORCE_USER_PRESENCE_AND_SIGN: 0x08,
} as const;

/** Raw Message Formats "Registration Response Message: Success": the reserved first byte. */
export const REGISTER_RESERVED_BYTE = 0x05;

/** Raw Message Formats "GetVersion Response Message": the only version string the spec defines. */
export const U2F_V2 = 'U2F_V2';

/** Raw Message Formats "Registration Request Message": the challenge and application parameters are SHA-256 hashes. */
export const U2F_PARAM_SIZE = 32;

/** Raw Message Formats "Registration Response Message: Success": the user public key, an uncompressed P-256 point 0x04 || x || y. */
export const U2F_PUBLIC_KEY_SIZE = 65;

/** Raw Message Formats "Authentication Request Message": the key handle length travels in one byte. */
export const U2F_MAX_KEY_HANDLE_SIZE = 255;

/** Raw Message Formats "Authentication Response Message: Success": the user presence byte's "user was present" bit. */
export const U2F_USER_PRESENCE_BIT = 0x01;
