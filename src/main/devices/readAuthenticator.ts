// Finds out what a freshly opened key speaks (CTAP2, or U2F only) and what it says about itself (AAGUID, versions, model).

import { formatAaguid } from '../../ctap/bytes.js';
import { decodeCbor } from '../../ctap/cbor/decode.js';
import { detectCtapVersion } from '../../ctap/authenticator/detectCtapVersion.js';
import { Ctap2 } from '../../ctap/ctap2/Ctap2.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from '../../ctap/ctap2/info.js';
import type { CtapLogger } from '../../ctap/logger.js';
import { CtapNfcDevice } from '../../ctap/nfc/CtapNfcDevice.js';
import type { CtapDevice } from '../../ctap/transport.js';
import { modelForAaguid } from './knownAuthenticators.js';

/** What a key told us about itself. */
export interface AuthenticatorFacts {
  /** UUID text; absent for U2F-only keys, which have no AAGUID. */
  aaguid?: string;
  /** The AAGUID's model from the table of known keys. */
  model?: string;
  /** getInfo versions, or ['U2F_V2'] for a U2F-only key. */
  versions: string[];
}

export interface ReadAuthenticatorOptions {
  /** How long getInfo (or the U2F version probe) may take. @default 5000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Gets the warning when the key's CBOR is not canonical. @default silent */
  logger?: CtapLogger;
}

/** Reads getInfo, falling back to U2F for keys that refuse it. The Ctap2 (getInfo cached) comes back for CTAP2 keys. */
export async function readAuthenticator(
  device: CtapDevice,
  opts: ReadAuthenticatorOptions = {},
): Promise<{ ctap2?: Ctap2; facts: AuthenticatorFacts }> {
  const ctap2Options = opts.logger ? { logger: opts.logger } : {};
  const probed = probedInfo(device);
  let ctap2: Ctap2;
  if (probed) {
    ctap2 = new Ctap2(device, { ...ctap2Options, info: probed });
  } else {
    const detected = await detectCtapVersion(device, {
      timeoutMs: opts.timeoutMs ?? 5_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ctap2: ctap2Options,
    });
    if (detected.kind === 'u2f') return { facts: { versions: ['U2F_V2'] } };
    ctap2 = detected.ctap2;
  }
  const info = ctap2.info;
  const aaguid = formatAaguid(info.aaguid);
  const model = modelForAaguid(aaguid);
  return { ctap2, facts: { aaguid, ...(model ? { model } : {}), versions: [...info.versions] } };
}

/**
 * The getInfo a U2F_V2 card already answered when it was opened (one NFC round trip saved). Strictly canonical answers
 * only: anything else is asked again through Ctap2, which knows how to fall back to lenient decoding.
 */
function probedInfo(device: CtapDevice): AuthenticatorInfo | undefined {
  if (!(device instanceof CtapNfcDevice) || !device.probedGetInfo) return undefined;
  try {
    return parseAuthenticatorInfo(decodeCbor(device.probedGetInfo.subarray(1)));
  } catch {
    return undefined;
  }
}
