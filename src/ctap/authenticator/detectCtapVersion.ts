// Tells a U2F-only key from a CTAP2 one, so callers pick Ctap1 or Ctap2 (DESIGN.md section 3: old keys fail getInfo).

import { Ctap2, type Ctap2Options } from '../ctap2/Ctap2.js';
import { ClientError, CtapError, ProtocolError, TransportError } from '../errors.js';
import { CtapHidDevice } from '../hid/CtapHidDevice.js';
import { CtapNfcDevice } from '../nfc/CtapNfcDevice.js';
import type { CallOptions, CtapDevice } from '../transport.js';
import { Ctap1, type Ctap1Options } from '../ctap1/Ctap1.js';
import { U2F_V2 } from '../ctap1/constants.js';

/** What the key speaks, with a client ready for it. */
export type CtapVersion =
  | { kind: 'ctap2'; ctap2: Ctap2 }
  | {
      kind: 'u2f';
      ctap1: Ctap1;
      /** Why the key counts as U2F-only, for logs and support messages. */
      reason: string;
    };

/** Options of {@link detectCtapVersion}. */
export interface DetectCtapVersionOptions extends CallOptions {
  /** Passed to the Ctap2 that reads getInfo (and is returned for a CTAP2 key). @default {} */
  ctap2?: Ctap2Options;
  /** Passed to the Ctap1 returned for a U2F-only key. @default {} */
  ctap1?: Ctap1Options;
}

/** Failures that say nothing about the key's protocol: the user, the channel or the OS stopped us. */
const INCONCLUSIVE: ReadonlySet<TransportError['code']> = new Set(['cancelled', 'closed', 'access-denied', 'busy', 'timeout', 'too-large', 'io']);

/**
 * Decides between CTAP2 and U2F. The transport answers first where it knows (CTAPHID INIT capabilities without CBOR;
 * an NFC applet whose getInfo probe failed). Otherwise getInfo decides: a key that answers it is CTAP2; one that
 * refuses it (INVALID_COMMAND, a CTAPHID error, an answer that is not a getInfo) is U2F-only if it then answers
 * U2F_VERSION with U2F_V2. When neither works, the getInfo failure is thrown.
 */
export async function detectCtapVersion(device: CtapDevice, opts: DetectCtapVersionOptions = {}): Promise<CtapVersion> {
  const { ctap2: ctap2Options, ctap1: ctap1Options, ...callOptions } = opts;
  const u2f = (reason: string): CtapVersion => ({ kind: 'u2f', ctap1: new Ctap1(device, ctap1Options), reason });

  if (device instanceof CtapHidDevice && !device.supportsCbor) {
    if (!device.supportsMsg) throw new ClientError('device-not-supported', 'The key speaks neither CTAP2 (CBOR) nor U2F (MSG) over HID.');
    return u2f('its CTAPHID INIT capabilities lack CBOR');
  }
  if (device instanceof CtapNfcDevice && !device.supportsCtap2) {
    if (!device.supportsCtap1) throw new ClientError('device-not-supported', 'The card speaks neither CTAP2 nor U2F.');
    return u2f(`its FIDO applet answered ${device.appletVersion} and refused getInfo`);
  }

  const ctap2 = new Ctap2(device, ctap2Options);
  try {
    await ctap2.getInfo(callOptions);
    return { kind: 'ctap2', ctap2 };
  } catch (error) {
    if (!refusesCtap2(error) || (device instanceof CtapHidDevice && !device.supportsMsg)) throw error;
    const ctap1 = new Ctap1(device, ctap1Options);
    let version: string;
    try {
      version = await ctap1.getVersion(callOptions);
    } catch {
      throw error;
    }
    if (version !== U2F_V2) throw error;
    return { kind: 'u2f', ctap1, reason: `getInfo failed (${(error as Error).message})` };
  }
}

/** Whether `device` is a key that speaks only U2F; see {@link detectCtapVersion}. */
export async function isU2fOnly(device: CtapDevice, opts: DetectCtapVersionOptions = {}): Promise<boolean> {
  return (await detectCtapVersion(device, opts)).kind === 'u2f';
}

/** A getInfo failure that comes from the key not speaking CTAP2, as opposed to a channel that did not work. */
function refusesCtap2(error: unknown): boolean {
  // ProtocolError includes CborError: an answer that is not a getInfo map.
  if (error instanceof CtapError || error instanceof ProtocolError) return true;
  return error instanceof TransportError && !INCONCLUSIVE.has(error.code);
}
