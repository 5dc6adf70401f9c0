// The error tiers of the CTAP library (DESIGN.md section 2) and the one place that maps them to what a user can act on.

import { CtapStatus, ctapStatusName } from './ctapStatus.js';

/** What went wrong below CTAP: framing, channels, APDUs, timeouts, a device that went away. */
export type TransportErrorCode =
  | 'timeout'
  | 'framing'
  | 'channel'
  | 'nonce'
  | 'sequence'
  | 'busy'
  | 'cancelled'
  | 'closed'
  | 'too-large'
  | 'hid-error'
  | 'apdu'
  | 'no-applet'
  | 'access-denied'
  | 'io';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  /** For `hid-error`: the CTAPHID ERROR code. For `apdu`: the status word SW1SW2. */
  readonly detail: number | undefined;

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { detail?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options?.detail;
  }
}

/** The authenticator's answer does not follow the spec: bad CBOR, a missing or mistyped field. */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
}

/** A CTAP status byte other than CTAP2_OK, named as in the spec; unknown codes keep their number. */
export class CtapError extends Error {
  override readonly name = 'CtapError';
  readonly statusName: string;

  constructor(
    readonly status: number,
    context?: string,
  ) {
    const statusName = ctapStatusName(status);
    super(context === undefined ? statusName : `${context}: ${statusName}`);
    this.statusName = statusName;
  }
}

/** What a user (or the UI) can act on. */
export type ClientErrorReason =
  | 'no-device'
  | 'device-not-supported'
  | 'device-busy'
  | 'device-removed'
  | 'access-denied'
  | 'cancelled'
  | 'timeout'
  | 'not-allowed'
  | 'credential-excluded'
  | 'no-credentials'
  | 'pin-invalid'
  | 'pin-blocked'
  | 'pin-auth-blocked'
  | 'pin-not-set'
  | 'pin-required'
  | 'pin-policy-violation'
  | 'pin-change-required'
  | 'uv-invalid'
  | 'uv-blocked'
  | 'uv-required'
  | 'request-too-large'
  | 'key-store-full'
  | 'bad-request'
  | 'device-error';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  /** PIN or UV attempts left, where the key told us. */
  readonly retriesLeft: number | undefined;

  constructor(
    readonly reason: ClientErrorReason,
    message: string,
    options?: { cause?: unknown; retriesLeft?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retriesLeft = options?.retriesLeft;
  }
}

const STATUS_TO_REASON: ReadonlyMap<number, [ClientErrorReason, string]> = new Map([
  [CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL, ['cancelled', 'The operation was cancelled.']],
  [CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT, ['timeout', 'The key was not touched in time.']],
  [CtapStatus.CTAP2_ERR_ACTION_TIMEOUT, ['timeout', 'The key was not touched in time.']],
  [CtapStatus.CTAP2_ERR_OPERATION_DENIED, ['not-allowed', 'The request was denied on the key.']],
  [CtapStatus.CTAP2_ERR_NOT_ALLOWED, ['not-allowed', 'The key does not allow this operation.']],
  [CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED, ['credential-excluded', 'This key is already registered.']],
  [CtapStatus.CTAP2_ERR_NO_CREDENTIALS, ['no-credentials', 'This key holds no matching credential.']],
  [CtapStatus.CTAP2_ERR_PIN_INVALID, ['pin-invalid', 'Wrong PIN.']],
  [CtapStatus.CTAP2_ERR_PIN_BLOCKED, ['pin-blocked', 'The PIN is blocked: the key must be reset.']],
  [
    CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED,
    ['pin-auth-blocked', 'Too many wrong PINs in a row: unplug the key and plug it in again.'],
  ],
  [CtapStatus.CTAP2_ERR_PIN_NOT_SET, ['pin-not-set', 'No PIN is set on this key.']],
  [CtapStatus.CTAP2_ERR_PUAT_REQUIRED, ['pin-required', 'This key needs its PIN for this operation.']],
  [CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, ['pin-policy-violation', 'The PIN does not meet the key\u2019s rules.']],
  [CtapStatus.CTAP2_ERR_UV_INVALID, ['uv-invalid', 'The fingerprint was not recognised.']],
  [CtapStatus.CTAP2_ERR_UV_BLOCKED, ['uv-blocked', 'Fingerprint verification is blocked: use the PIN.']],
  [CtapStatus.CTAP2_ERR_REQUEST_TOO_LARGE, ['request-too-large', 'The request is too large for this key.']],
  [CtapStatus.CTAP2_ERR_KEY_STORE_FULL, ['key-store-full', 'The key has no room for another passkey.']],
  [
    CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM,
    ['device-not-supported', 'The key supports none of the requested algorithms.'],
  ],
  [CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, ['device-not-supported', 'The key does not support a requested option.']],
  [CtapStatus.CTAP1_ERR_INVALID_COMMAND, ['device-not-supported', 'The key does not support this command.']],
  [CtapStatus.CTAP1_ERR_CHANNEL_BUSY, ['device-busy', 'The key is busy with another application.']],
]);

/** Maps any error from the lower tiers to a ClientError. The only place that decides user-facing reasons. */
export function toClientError(error: unknown): ClientError {
  if (error instanceof ClientError) return error;
  if (error instanceof CtapError) {
    const mapped = STATUS_TO_REASON.get(error.status);
    if (mapped) return new ClientError(mapped[0], mapped[1], { cause: error });
    return new ClientError('device-error', `The key reported ${error.statusName}.`, { cause: error });
  }
  if (error instanceof TransportError) {
    switch (error.code) {
      case 'timeout':
        return new ClientError('timeout', 'The key did not answer in time.', { cause: error });
      case 'cancelled':
        return new ClientError('cancelled', 'The operation was cancelled.', { cause: error });
      case 'closed':
        return new ClientError('device-removed', 'The key was removed.', { cause: error });
      case 'busy':
        return new ClientError('device-busy', 'The key is busy with another application.', { cause: error });
      case 'access-denied':
        return new ClientError('access-denied', error.message, { cause: error });
      case 'too-large':
        return new ClientError('request-too-large', error.message, { cause: error });
      case 'no-applet':
        return new ClientError('device-not-supported', 'This card has no FIDO applet.', { cause: error });
      case 'apdu':
        // ISO 7816 6A80 to a U2F authenticate: the key does not know this key handle.
        if (error.detail === 0x6a80)
          return new ClientError('no-credentials', 'This key holds no matching credential.', { cause: error });
        return new ClientError('device-error', `Communication with the key failed: ${error.message}`, { cause: error });
      default:
        return new ClientError('device-error', `Communication with the key failed: ${error.message}`, { cause: error });
    }
  }
  if (error instanceof ProtocolError) {
    return new ClientError('device-error', `The key sent an invalid answer: ${error.message}`, { cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new ClientError('cancelled', 'The operation was cancelled.', { cause: error });
  }
  return new ClientError('device-error', error instanceof Error ? error.message : String(error), { cause: error });
}
