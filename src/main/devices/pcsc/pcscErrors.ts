// Maps PC/SC failures (pcsc-mini's error codes, named after SCARD_E_* / SCARD_W_*) to PcscError and, mid-exchange, to TransportError.

import { TransportError, type TransportErrorCode } from '../../../ctap/index.js';
import { PcscError, type PcscErrorCode } from './PcscError.js';

const SERVICE_GONE = ['NoService', 'ServiceStopped'];
const NO_READER = ['NoReadersAvailable', 'UnknownReader', 'ReaderUnavailable'];
const NO_CARD = ['NoSmartCard', 'RemovedCard', 'UnpoweredCard', 'UnresponsiveCard', 'ResetCard'];
const ACCESS = ['AccessDenied', 'NoAccess', 'PermissionDenied'];

/** The library's error name (e.g. NoService), if the error carries one. */
export function pcscCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What `pcscd is not running` means on this platform, with the fix. */
export function serviceUnavailableMessage(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'win32':
      return 'The Windows Smart Card service (SCardSvr) is not running: start it from services.msc.';
    case 'darwin':
      return 'The macOS smart card service is not available.';
    default:
      return 'pcscd is not running: start it (sudo systemctl start pcscd.socket) or install it (sudo apt install pcscd).';
  }
}

/** For failures outside an APDU exchange: starting the watch, connecting to a card. */
export function toPcscError(error: unknown, context: string): PcscError {
  if (error instanceof PcscError) return error;
  const code = pcscCode(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  let kind: PcscErrorCode = 'pcsc-failure';
  let message = `${context}: PC/SC failed (${reason})`;
  if (code && SERVICE_GONE.includes(code)) {
    kind = 'service-unavailable';
    message = `${context}: ${serviceUnavailableMessage()}`;
  } else if (code && NO_READER.includes(code)) {
    kind = 'no-reader';
    message = `${context}: no such smart card reader (${code})`;
  } else if (code && NO_CARD.includes(code)) {
    kind = 'no-card';
    message = `${context}: no card or NFC key on the reader (${code})`;
  } else if (code === 'SharingViolation') {
    kind = 'sharing-violation';
    message = `${context}: another application is using the card exclusively`;
  } else if (code && ACCESS.includes(code)) {
    kind = 'access-denied';
    message = `${context}: access to the smart card was denied (${code})`;
  }
  return new PcscError(kind, message, { pcscCode: code, cause: error });
}

/** For failures while talking to a connected card, where the CTAP layer expects a TransportError. */
export function toTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const code = pcscCode(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  let kind: TransportErrorCode = 'io';
  let message = `the smart card exchange failed (${reason})`;
  if (code && (NO_CARD.includes(code) || NO_READER.includes(code) || SERVICE_GONE.includes(code))) {
    kind = 'closed';
    message = `the card left the reader (${code})`;
  } else if (code === 'NotTransacted') {
    // pcsc-lite's answer when the reader loses the card in the middle of a transmit: for NFC, the key left the field.
    kind = 'closed';
    message =
      'the card stopped answering in the middle of an exchange (NotTransacted): it has probably left the reader';
  } else if (code === 'SharingViolation') {
    kind = 'busy';
    message = 'another application is using the card exclusively';
  } else if (code === 'Timeout') {
    kind = 'timeout';
    message = 'the reader timed out waiting for the card';
  } else if (code && ACCESS.includes(code)) {
    kind = 'access-denied';
    message = `access to the card was denied (${code})`;
  }
  return new TransportError(kind, message, { cause: error });
}
