// CTAPHID numbers (CTAP 2.2 section 11.2 "USB Human Interface Device (USB HID)").

import { CtapDeviceCmd } from '../transport.js';

export const HID_REPORT_SIZE = 64;
export const INIT_DATA_SIZE = HID_REPORT_SIZE - 7; // CID(4) CMD(1) BCNT(2)
export const CONT_DATA_SIZE = HID_REPORT_SIZE - 5; // CID(4) SEQ(1)
/** 57 + 128 continuation frames of 59 bytes (sequence numbers 0..127). */
export const MAX_MESSAGE_SIZE = INIT_DATA_SIZE + 128 * CONT_DATA_SIZE;
export const BROADCAST_CID = 0xffffffff;
export const INIT_NONCE_SIZE = 8;

/** Section 11.2.9: command codes, sent with the top bit set in an initialization frame. */
export const CtapHidCmd = {
  // The commands every CtapDevice takes are CTAPHID's own.
  ...CtapDeviceCmd,
  INIT: 0x06,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

/** Section 11.2.9.1.3: capability flags in the INIT response. */
export const CtapHidCapability = {
  WINK: 0x01,
  CBOR: 0x04,
  NMSG: 0x08,
} as const;

/** Section 11.2.9.2.6: codes carried by an ERROR response. */
export const CtapHidError = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

export const CTAPHID_ERROR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CtapHidError).map(([name, code]) => [code, `ERR_${name}`]),
);
