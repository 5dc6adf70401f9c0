// The security keys a session's WebAuthn client uses: the keys plugged in (through a device manager), or a virtual key in a file.

import { dirname } from 'node:path';
import {
  CtapHidDevice,
  type CtapDevice,
  type NamedAuthenticator,
  type WebAuthnDeviceSource,
} from '../../ctap/index.js';
import { VirtualAuthenticator, type PresenceHandler } from '../../ctap/virtual/index.js';
import type { DeviceManager, OpenedDevice } from '../devices/index.js';
import { createDeviceManager } from './createDeviceManager.js';
import type { Prompter } from './Prompter.js';
import { loadVirtualKeyState, VirtualKeyStateFile, withVirtualKeyLock } from './virtualKeyStateFile.js';

/** What a front end says about a virtual key every time it is used. */
export interface VirtualKeyNotice {
  /** The state file, absolute. */
  state: string;
  notice: string;
}

export interface KeySource {
  /** The WebAuthn client's device source: the keys of the ceremony in progress. */
  readonly devices: WebAuthnDeviceSource;
  /** Set for a virtual key: a front end says so every time. */
  readonly virtual: VirtualKeyNotice | undefined;
  /**
   * Runs one ceremony with the keys: opens them, runs `run`, closes them. A virtual key is loaded from its file while
   * this process alone holds it, and saved before `run`'s result is handed on: a key whose new counter or credential
   * is not on disk would look cloned (or lose its passkey) next time.
   */
  ceremony<T>(run: () => Promise<T>): Promise<T>;
  /** Stops watching for keys. */
  close(): Promise<void>;
}

export function virtualKeyNotice(statePath: string): string {
  return `Demo key without hardware: a virtual security key whose private keys are stored unencrypted in ${statePath}. It protects nothing; use a real security key for a real account.`;
}

export interface VirtualKeySourceOptions {
  /** The key's state file, absolute; created on first use. */
  statePath: string;
  /** How long a ceremony waits while another process uses the key. @default 30000 */
  lockTimeoutMs?: number;
  /** Who touches the key (tests hold the touch to see the prompt). @default approve at once */
  presence?: PresenceHandler;
}

/** A VirtualAuthenticator that approves every request at once: there is nobody to touch it, which makes it a demo. */
export function virtualKeySource(options: VirtualKeySourceOptions): KeySource {
  const { statePath } = options;
  let current: NamedAuthenticator | undefined;
  return {
    virtual: { state: statePath, notice: virtualKeyNotice(statePath) },
    devices: async () => (current ? [current] : []),
    ceremony: (run) =>
      withVirtualKeyLock(
        statePath,
        async () => {
          // Loaded afresh under the lock: another process may have used the key since.
          const state = await loadVirtualKeyState(statePath);
          const key = new VirtualAuthenticator({
            ...(state ? { state } : {}),
            ...(options.presence === undefined ? {} : { presence: options.presence }),
          });
          const file = new VirtualKeyStateFile(statePath, key);
          await file.saveIfChanged().catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            throw new Error(`cannot write the virtual key's state: the folder ${dirname(statePath)} does not exist`, {
              cause: error,
            });
          });
          const device: CtapDevice = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
          current = { authenticator: device, name: `virtual ${key.profile.description}` };
          try {
            return await run();
          } finally {
            current = undefined;
            await device.close().catch(() => undefined);
            // Saved whatever happened: the key may have changed anyway (a counter moved before a later failure).
            await file.saveIfChanged();
          }
        },
        options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs },
      ),
    close: async () => undefined,
  };
}

export interface DeviceKeySourceOptions {
  /** Asked to insert a key when none is connected. */
  prompter: Prompter;
  /** @default a device manager over USB and NFC that looks once (createDeviceManager()) */
  manager?: DeviceManager;
}

/** The keys connected over USB and NFC, opened for each ceremony and closed after it. */
export function deviceKeySource(options: DeviceKeySourceOptions): KeySource {
  const { prompter } = options;
  const manager = options.manager ?? createDeviceManager();
  let started: Promise<void> | undefined;
  let opened: OpenedDevice[] = [];

  /** The listed keys, asking for one while none is there; empty when the person gives up. */
  const listed = async (): Promise<string[]> => {
    for (;;) {
      const ids = manager.list().map((d) => d.id);
      if (ids.length > 0) return ids;
      const unavailable = manager
        .transports()
        .flatMap((t) =>
          t.state === 'unavailable' ? [{ transport: t.transport, reason: t.reason ?? 'unavailable' }] : [],
        );
      const arrived = new AbortController();
      const onAdded = (): void => arrived.abort();
      manager.once('added', onAdded);
      try {
        if (!(await prompter.insertKey({ unavailable, signal: arrived.signal }))) return [];
      } finally {
        manager.off('added', onAdded);
      }
    }
  };

  return {
    virtual: undefined,
    // A U2F-only key has no Ctap2: the client detects it from the raw device and uses U2F.
    devices: async () =>
      opened.map((o): NamedAuthenticator => ({ authenticator: o.ctap2 ?? o.device, name: o.info.name })),
    async ceremony(run) {
      started ??= manager.start();
      await started;
      const ids = await listed();
      const results = await Promise.allSettled(ids.map((id) => manager.open(id)));
      opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const keys = opened;
      try {
        if (ids.length > 0 && keys.length === 0) throw (results[0] as PromiseRejectedResult).reason;
        return await run();
      } finally {
        opened = [];
        await Promise.allSettled(keys.map((k) => k.device.close()));
      }
    },
    async close() {
      if (started) await manager.stop();
    },
  };
}
