// Turns the device source's answer into usable keys (CTAP2 or U2F-only) and picks one: the only key, the UI's choice, or the first touched.

import { detectCtapVersion } from '../authenticator/detectCtapVersion.js';
import { isOpenedAuthenticator, type OpenedAuthenticator } from '../authenticator/OpenedAuthenticator.js';
import { Ctap1 } from '../ctap1/Ctap1.js';
import { Ctap2 } from '../ctap2/Ctap2.js';
import type { AuthenticatorInfo } from '../ctap2/info.js';
import { selectByTouch, type SelectionCandidate } from '../ctap2/selectByTouch.js';
import { ClientError } from '../errors.js';
import type { CallOptions, CtapTransport } from '../transport.js';
import type { Ceremony } from './ceremony.js';
import type { DeviceChoice, NamedAuthenticator, WebAuthnAuthenticator, WebAuthnDeviceSource } from './types.js';

/** A key ready for a ceremony: an opened key and the name to show for it. */
export type ResolvedKey = OpenedAuthenticator & { readonly name?: string };

export function keyTransport(key: ResolvedKey): CtapTransport {
  return key.device.transport;
}

/**
 * Asks the source for its keys and readies each: an opened key, a Ctap2 (getInfo read) or a Ctap1 (a U2F key) as given,
 * a raw device through detectCtapVersion. Keys that fail are dropped; when all fail, the first error is thrown.
 */
export async function resolveKeys(source: WebAuthnDeviceSource, ceremony: Ceremony): Promise<ResolvedKey[]> {
  const entries = await ceremony.race(source());
  if (entries.length === 0)
    throw new ClientError('no-device', 'No security key is connected: plug one in or hold it to the reader.');
  const settled = await Promise.allSettled(entries.map((entry) => resolveKey(entry, ceremony)));
  const keys = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (keys.length > 0) return keys;
  throw (settled[0] as PromiseRejectedResult).reason;
}

async function resolveKey(entry: WebAuthnAuthenticator | NamedAuthenticator, ceremony: Ceremony): Promise<ResolvedKey> {
  const { authenticator, name } = 'authenticator' in entry ? entry : { authenticator: entry, name: undefined };
  const named = (key: OpenedAuthenticator): ResolvedKey => (name === undefined ? key : { ...key, name });
  if (authenticator instanceof Ctap2)
    return named({ kind: 'ctap2', device: authenticator.device, ctap2: authenticator });
  if (authenticator instanceof Ctap1)
    return named({
      kind: 'u2f',
      device: authenticator.device,
      ctap1: authenticator,
      reason: 'the caller gave a Ctap1',
    });
  if (isOpenedAuthenticator(authenticator)) return named(authenticator);
  // A key that sends non-canonical CBOR is decoded leniently with a warning through the client's logger.
  return named(await detectCtapVersion(authenticator, { signal: ceremony.signal, ctap2: { logger: ceremony.logger } }));
}

/** The one key to use: the only one, the UI's choice, or the first one touched (the others are cancelled). */
export async function chooseKey(keys: readonly ResolvedKey[], ceremony: Ceremony): Promise<ResolvedKey> {
  if (keys.length === 1) return keys[0]!;
  const { ui } = ceremony;
  let index: number | undefined;
  if (ui.chooseDevice) {
    const devices: DeviceChoice[] = keys.map((key) => ({
      ...(key.name === undefined ? {} : { name: key.name }),
      transport: keyTransport(key),
      protocol: key.kind,
    }));
    index = await ceremony.race(ui.chooseDevice({ devices, signal: ceremony.signal }));
    if (index === undefined) throw new ClientError('cancelled', 'No security key was chosen.');
    if (!Number.isInteger(index) || index < 0 || index >= keys.length) {
      throw new ClientError(
        'bad-request',
        `chooseDevice answered ${index}, expected an index from 0 to ${keys.length - 1}.`,
      );
    }
  } else {
    ceremony.notify(() => ui.onTouch?.({ purpose: 'select' }));
    index = await selectByTouch(keys.map(selectionCandidate), { signal: ceremony.signal });
  }
  return keys[index]!;
}

/** What U2F keys look like to selectByTouch: a key whose selection is a U2F register of nothing, polled until touched. */
const U2F_SELECTION_INFO: AuthenticatorInfo = {
  versions: ['FIDO_2_1'],
  extensions: [],
  aaguid: new Uint8Array(16),
  options: new Map(),
  maxMsgSize: 1024,
  pinUvAuthProtocols: [],
  transports: [],
  unknown: new Map(),
};

const ZERO_PARAM = new Uint8Array(32);

function selectionCandidate(key: ResolvedKey): SelectionCandidate {
  if (key.kind === 'ctap2') return key.ctap2;
  const { ctap1 } = key;
  // U2F has no "wait for a touch" command; python-fido2 and browsers register for an all-zero application instead,
  // which a key answers only once touched and which no relying party can use.
  return {
    info: U2F_SELECTION_INFO,
    selection: async (opts?: CallOptions) => {
      await ctap1.register(ZERO_PARAM, ZERO_PARAM, opts);
    },
    send: () => Promise.reject(new ClientError('device-not-supported', 'A U2F key takes no CTAP2 command.')),
  };
}
