// The contract of one transport's key discovery (USB, PC/SC, virtual; later webauthn.dll, BLE): what the manager merges.

import type { EventEmitter } from 'node:events';
import type { CtapDevice } from '../../ctap/index.js';
import type { DeviceInfo, DeviceTransport, TransportStatus } from './DeviceInfo.js';
import type { AuthenticatorFacts } from './readAuthenticator.js';

/** What a source knows about one key; the manager adds the id. */
export type DeviceDescription = Omit<DeviceInfo, 'id'>;

/** One key as a source lists it. */
export interface SourceDevice {
  /** The source's own handle on the key, unique within the source while the key stays: a HID path, a reader, a name. */
  readonly key: string;
  /**
   * The ids the key may be listed under, best first (e.g. `usb:<vid>:<pid>:<serial>`, then `usb:<path>`). The manager
   * gives it the first one no other key holds, and keeps it while the key stays.
   */
  readonly ids: readonly string[];
  readonly info: DeviceDescription;
}

export interface DeviceSourceEvents {
  added: [device: SourceDevice];
  /** The key with this `key` is gone. */
  removed: [key: string];
  /** What is known about a listed key changed: its getInfo was read (AAGUID, versions, a better name) or failed. */
  changed: [device: SourceDevice];
  /** The transport became available or unavailable, with the reason a user can act on (pcscd not running...). */
  status: [status: TransportStatus];
}

/**
 * One transport's keys. A source never makes its user fail because the transport does not work here: it says so in
 * status() and the `status` event, and keeps trying where that makes sense.
 */
export interface DeviceSource extends EventEmitter<DeviceSourceEvents> {
  readonly transport: DeviceTransport;
  /** Starts following keys; resolves once the keys present now are listed (their reads may still run: see settled()). */
  start(): Promise<void>;
  /** Stops following keys and forgets them, without events. Devices already opened stay their caller's to close. */
  stop(): Promise<void>;
  /** Resolves when no key is being read. */
  settled(): Promise<void>;
  /** The keys listed now. */
  list(): SourceDevice[];
  /** Whether the transport works here; undefined for a source that has no system service behind it (virtual keys). */
  status(): TransportStatus | undefined;
  /** Opens the listed key `key`, once any read of it has ended. Rejects with ClientError('no-device') for a key not listed. */
  open(key: string): Promise<CtapDevice>;
  /** Records what an opened key said about itself; emits `changed` when that is news. */
  learn(key: string, facts: AuthenticatorFacts): void;
}
