// Helpers for the WebAuthnClient tests: virtual keys over in-memory HID, a scripted UI, a request recorder, and ready-made key set-ups.

import { decodeCbor, type CborMap } from '../../../src/ctap/cbor/index.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd } from '../../../src/ctap/hid/constants.js';
import type { CallOptions, CtapDevice } from '../../../src/ctap/transport.js';
import {
  VirtualAuthenticator,
  type VirtualAuthenticatorOptions,
  type VirtualAuthenticatorState,
} from '../../../src/ctap/virtual/index.js';
import { WebAuthnClient } from '../../../src/ctap/webauthn/WebAuthnClient.js';
import type {
  PinRequest,
  TouchRequest,
  WebAuthnAuthenticator,
  WebAuthnClientOptions,
  WebAuthnUi,
} from '../../../src/ctap/webauthn/types.js';

export const ORIGIN = 'https://latchkey.localhost';
export const RP_ID = 'latchkey.localhost';
export const PIN = '4711';

/** A virtual key with short keepalives and touch timeout, so tests stay fast. */
export function virtualKey(opts: VirtualAuthenticatorOptions = {}): VirtualAuthenticator {
  return new VirtualAuthenticator({ keepaliveIntervalMs: 10, userActionTimeoutMs: 2_000, ...opts });
}

/** A CtapHidDevice over a new in-memory connection to `key`, wrapped so every CTAP2 request is recorded. */
export async function openKey(key: VirtualAuthenticator): Promise<RecordingDevice> {
  return new RecordingDevice(await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' }));
}

/** One CTAP2 request as the key received it. */
export interface RecordedRequest {
  cmd: number;
  params: CborMap | undefined;
}

/** Passes every call through and keeps the decoded CTAP2 requests, to assert what went to the key. */
export class RecordingDevice implements CtapDevice {
  readonly requests: RecordedRequest[] = [];
  constructor(readonly inner: CtapDevice) {}

  get transport() {
    return this.inner.transport;
  }

  get maxPayloadSize() {
    return this.inner.maxPayloadSize;
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  call(cmd: number, payload: Uint8Array, opts?: CallOptions): Promise<Uint8Array> {
    if (cmd === CtapHidCmd.CBOR && payload.length > 0) {
      const params = payload.length > 1 ? (decodeCbor(payload.subarray(1)) as CborMap) : undefined;
      this.requests.push({ cmd: payload[0]!, params });
    }
    return this.inner.call(cmd, payload, opts);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The recorded requests of one CTAP2 command. */
  of(cmd: number): RecordedRequest[] {
    return this.requests.filter((r) => r.cmd === cmd);
  }
}

/** A UI that answers PIN requests from a script and records everything it was told. */
export class ScriptedUi implements WebAuthnUi {
  readonly pinRequests: Omit<PinRequest, 'signal'>[] = [];
  readonly touches: TouchRequest[] = [];
  readonly uvRetries: unknown[] = [];

  constructor(private readonly pins: (string | undefined)[] = []) {}

  async requestPin(req: PinRequest): Promise<string | undefined> {
    const { signal: _signal, ...rest } = req;
    this.pinRequests.push(rest);
    if (this.pins.length === 0) throw new Error(`the test did not expect a PIN request (${req.reason})`);
    return this.pins.shift();
  }

  onTouch(req: TouchRequest): void {
    this.touches.push(req);
  }

  onUvRetry(req: unknown): void {
    this.uvRetries.push(req);
  }
}

export function client(
  devices: readonly WebAuthnAuthenticator[],
  ui: WebAuthnUi = new ScriptedUi(),
  extra: Partial<WebAuthnClientOptions> = {},
): WebAuthnClient {
  return new WebAuthnClient({ origin: ORIGIN, rpId: RP_ID, ui, devices: async () => devices, ...extra });
}

/** Sets `pin` on a virtual key through authenticatorClientPIN, as a user would. */
export async function setPin(key: VirtualAuthenticator, pin = PIN): Promise<void> {
  const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
  const ctap2 = await Ctap2.create(device);
  await new ClientPin(ctap2).setPin(pin);
  await device.close();
}

export async function infoOf(key: VirtualAuthenticator) {
  const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
  const ctap2 = await Ctap2.create(device);
  await device.close();
  return ctap2.info;
}

export const FINGER = 'right-index';

/**
 * A yubikeyBio with one enrolled finger, made through the state JSON (version 2 has fingerprints), and a presence
 * handler that puts that finger on the sensor.
 */
export async function enrolledBioKey(opts: VirtualAuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
  const fresh = virtualKey({ profile: 'yubikeyBio' });
  const state = { ...fresh.toJSON(), fingerprints: [{ id: 'AQ', finger: FINGER }] } as VirtualAuthenticatorState;
  return virtualKey({
    profile: 'yubikeyBio',
    state,
    presence: async () => ({ approve: true, finger: FINGER }),
    ...opts,
  });
}

/** A presence handler that never touches, ending when the key withdraws the question. */
export const neverTouch: NonNullable<VirtualAuthenticatorOptions['presence']> = (req) =>
  new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('withdrawn'))));

export function touchAfter(ms: number): NonNullable<VirtualAuthenticatorOptions['presence']> {
  return () => new Promise((resolve) => setTimeout(() => resolve(true), ms));
}

export { Ctap2Cmd };
