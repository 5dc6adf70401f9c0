// Tells a U2F-only key from a CTAP2 one on any CtapDevice and opens it with the client it needs (DESIGN.md section 3: old keys fail getInfo).

import { decodeCbor } from '../cbor/decode.js';
import { Ctap1, type Ctap1Options } from '../ctap1/Ctap1.js';
import { U2F_V2 } from '../ctap1/constants.js';
import { Ctap2, type Ctap2Options } from '../ctap2/Ctap2.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from '../ctap2/info.js';
import { CtapStatus } from '../ctapStatus.js';
import { ClientError, CtapError, ProtocolError, TransportError } from '../errors.js';
import type { CallOptions, CtapDevice } from '../transport.js';
import type { OpenedAuthenticator } from './OpenedAuthenticator.js';

/** Options of {@link detectCtapVersion}. */
export interface DetectCtapVersionOptions extends CallOptions {
  /** Passed to the Ctap2 that reads getInfo (and is returned for a CTAP2 key). @default {} */
  ctap2?: Ctap2Options;
  /** Passed to the Ctap1 returned for a U2F-only key. @default {} */
  ctap1?: Ctap1Options;
  /**
   * Take the getInfo the transport read while opening the device (`device.opening.getInfoAnswer`, one NFC round trip
   * saved) instead of asking again. Right only just after opening: a PIN set since then would not show.
   * @default false
   */
  getInfoFromOpening?: boolean;
}

/** Failures that say nothing about the key's protocol: the user, the channel or the OS stopped us. */
const INCONCLUSIVE: ReadonlySet<TransportError['code']> = new Set([
  'cancelled',
  'closed',
  'access-denied',
  'busy',
  'timeout',
  'too-large',
  'io',
]);

/**
 * Decides between CTAP2 and U2F and opens the key accordingly. The device's capabilities answer first: a device that
 * carries no CBOR is U2F-only (when it carries MSG). With `getInfoFromOpening`, a getInfo the transport read while
 * opening is used as it is. Otherwise getInfo decides: a key that answers it is CTAP2; one that refuses it (INVALID_COMMAND, a CTAPHID
 * error, an answer that is not a getInfo) is U2F-only if it then answers U2F_VERSION with U2F_V2. When neither works,
 * the getInfo failure is thrown.
 */
export async function detectCtapVersion(
  device: CtapDevice,
  opts: DetectCtapVersionOptions = {},
): Promise<OpenedAuthenticator> {
  const { ctap2: ctap2Options, ctap1: ctap1Options, getInfoFromOpening = false, ...callOptions } = opts;
  const { capabilities } = device;
  if (!capabilities.cbor) {
    if (!capabilities.msg)
      throw new ClientError(
        'device-not-supported',
        `The key speaks neither CTAP2 (CBOR) nor U2F (MSG) over ${device.transport}.`,
      );
    const applet = device.opening?.appletVersion;
    const reason = `its ${device.transport} channel carries no CTAP2 (CBOR)${applet === undefined ? '' : `: the FIDO applet answered ${applet} and refused getInfo`}`;
    return { kind: 'u2f', device, ctap1: new Ctap1(device, ctap1Options), reason };
  }

  const info = getInfoFromOpening ? infoReadAtOpening(device) : undefined;
  if (info) return { kind: 'ctap2', device, ctap2: await Ctap2.create(device, { ...ctap2Options, info }) };
  try {
    return { kind: 'ctap2', device, ctap2: await Ctap2.create(device, { ...ctap2Options, ...callOptions }) };
  } catch (error) {
    if (!refusesCtap2(error) || !capabilities.msg) throw error;
    const ctap1 = new Ctap1(device, ctap1Options);
    let version: string;
    try {
      version = await ctap1.getVersion(callOptions);
    } catch {
      throw error;
    }
    if (version !== U2F_V2) throw error;
    return { kind: 'u2f', device, ctap1, reason: `getInfo failed (${(error as Error).message})` };
  }
}

/** Whether `device` is a key that speaks only U2F; see {@link detectCtapVersion}. */
export async function isU2fOnly(device: CtapDevice, opts: DetectCtapVersionOptions = {}): Promise<boolean> {
  return (await detectCtapVersion(device, opts)).kind === 'u2f';
}

/**
 * The getInfo the transport already read while opening (one NFC round trip saved). Strictly canonical answers only:
 * anything else is asked again through Ctap2, which knows how to fall back to lenient decoding.
 */
function infoReadAtOpening(device: CtapDevice): AuthenticatorInfo | undefined {
  const answer = device.opening?.getInfoAnswer;
  if (answer === undefined || answer[0] !== CtapStatus.CTAP2_OK) return undefined;
  try {
    return parseAuthenticatorInfo(decodeCbor(answer.subarray(1)));
  } catch {
    return undefined;
  }
}

/** A getInfo failure that comes from the key not speaking CTAP2, as opposed to a channel that did not work. */
function refusesCtap2(error: unknown): boolean {
  // ProtocolError includes CborError: an answer that is not a getInfo map.
  if (error instanceof CtapError || error instanceof ProtocolError) return true;
  return error instanceof TransportError && !INCONCLUSIVE.has(error.code);
}
