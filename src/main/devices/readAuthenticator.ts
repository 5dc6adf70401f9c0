// Finds out what a freshly opened key speaks (CTAP2, or U2F only) and what it says about itself (AAGUID, versions, model).

import {
  type CtapDevice,
  type CtapLogger,
  detectCtapVersion,
  formatAaguid,
  modelForAaguid,
  type OpenedAuthenticator,
} from '../../ctap/index.js';

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

/**
 * Opens the key with the protocol it speaks (getInfo, falling back to U2F for keys that refuse it; a getInfo the
 * transport read while opening is not asked again) and says what it learned.
 */
export async function readAuthenticator(
  device: CtapDevice,
  opts: ReadAuthenticatorOptions = {},
): Promise<{ opened: OpenedAuthenticator; facts: AuthenticatorFacts }> {
  const opened = await detectCtapVersion(device, {
    timeoutMs: opts.timeoutMs ?? 5_000,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ctap2: opts.logger ? { logger: opts.logger } : {},
    // The device was opened just now, so what opening read is current.
    getInfoFromOpening: true,
  });
  if (opened.kind === 'u2f') return { opened, facts: { versions: ['U2F_V2'] } };
  const info = opened.ctap2.info;
  const aaguid = formatAaguid(info.aaguid);
  const model = modelForAaguid(aaguid);
  return { opened, facts: { aaguid, ...(model ? { model } : {}), versions: [...info.versions] } };
}
