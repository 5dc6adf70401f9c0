// The one type for "a key opened for use": its device, the protocol it speaks, and the client ready for that protocol.

import type { Ctap1 } from '../ctap1/Ctap1.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import type { CtapDevice } from '../transport.js';

/** A key that speaks CTAP2: its Ctap2 has getInfo read (`ctap2.info`). */
export interface OpenedCtap2Authenticator {
  readonly kind: 'ctap2';
  readonly device: CtapDevice;
  readonly ctap2: Ctap2;
  // Present as undefined so that `opened.ctap1` reads on the union without narrowing first.
  readonly ctap1?: undefined;
}

/** A key that speaks only CTAP1/U2F (old keys fail getInfo; DESIGN.md section 3). */
export interface OpenedU2fAuthenticator {
  readonly kind: 'u2f';
  readonly device: CtapDevice;
  readonly ctap1: Ctap1;
  readonly ctap2?: undefined;
  /** Why the key counts as U2F-only, for logs and support messages. */
  readonly reason: string;
}

/** A key opened for use: `kind` says which protocol it speaks, and the matching client is ready. Close `device` when done. */
export type OpenedAuthenticator = OpenedCtap2Authenticator | OpenedU2fAuthenticator;

/** Whether `value` is an OpenedAuthenticator rather than a bare CtapDevice, Ctap2 or Ctap1. */
export function isOpenedAuthenticator(value: object): value is OpenedAuthenticator {
  const kind = (value as { kind?: unknown }).kind;
  return (kind === 'ctap2' || kind === 'u2f') && 'device' in value;
}
