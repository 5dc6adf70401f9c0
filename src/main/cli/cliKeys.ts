// The security keys a CLI ceremony uses: the keys plugged in (through the device manager), or --virtual-key's demo key.

import { dirname, resolve } from 'node:path';
import { CtapHidDevice } from '../../ctap/hid/CtapHidDevice.js';
import type { CtapDevice } from '../../ctap/transport.js';
import { VirtualAuthenticator } from '../../ctap/virtual/index.js';
import type { NamedAuthenticator, WebAuthnDeviceSource } from '../../ctap/webauthn/index.js';
import type { DeviceManager, OpenedDevice } from '../devices/index.js';
import { cliDeviceManager } from './cliDeviceManager.js';
import type { CliGlobals } from './globalOptions.js';
import type { CliIo } from './registry.js';
import { loadVirtualKeyState, VirtualKeyStateFile } from './virtualKeyStateFile.js';

/** What --json says about the demo key; null in the JSON when real keys are used. */
export interface VirtualKeyNotice {
  /** The state file, absolute. */
  state: string;
  notice: string;
}

export interface CliKeys {
  /** The WebAuthnClient's device source: opens the keys on first use, then hands out the same ones. */
  readonly devices: WebAuthnDeviceSource;
  /** Set with --virtual-key: the output says so every time. */
  readonly virtual: VirtualKeyNotice | undefined;
  /**
   * Saves the virtual key's state after a ceremony, before the relying party hears of it: a key whose new counter or
   * credential is not on disk would look cloned (or lose its passkey) next time. Nothing to do for real keys.
   */
  saveState(): Promise<void>;
  /** Closes what was opened (and saves a last time). */
  close(): Promise<void>;
}

export function virtualKeyNotice(statePath: string): string {
  return `Demo key without hardware: a virtual security key whose private keys are stored unencrypted in ${statePath}. It protects nothing; use a real security key for a real account.`;
}

export function cliKeys(globals: CliGlobals, io: CliIo): CliKeys {
  return globals.virtualKey === undefined ? realKeys(io) : virtualKeys(resolve(globals.virtualKey));
}

function virtualKeys(statePath: string): CliKeys {
  let opened: Promise<{ device: CtapDevice; file: VirtualKeyStateFile; name: string }> | undefined;
  const open = async () => {
    const state = await loadVirtualKeyState(statePath);
    // Approves every request at once: there is nobody to touch it, which is what makes it a demo.
    const key = new VirtualAuthenticator(state ? { state } : {});
    const file = new VirtualKeyStateFile(statePath, key);
    await file.saveIfChanged().catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new Error(`cannot write the virtual key's state: the folder ${dirname(statePath)} does not exist`, { cause: error });
    });
    const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
    return { device, file, name: `virtual ${key.profile.description}` };
  };
  return {
    virtual: { state: statePath, notice: virtualKeyNotice(statePath) },
    async devices() {
      opened ??= open();
      const { device, name } = await opened;
      return [{ authenticator: device, name }];
    },
    async saveState() {
      if (opened) await (await opened).file.saveIfChanged();
    },
    async close() {
      if (!opened) return;
      const { device, file } = await opened;
      await device.close().catch(() => undefined);
      await file.saveIfChanged();
    },
  };
}

function realKeys(io: CliIo): CliKeys {
  let manager: DeviceManager | undefined;
  let opened: Promise<OpenedDevice[]> | undefined;
  const open = async (): Promise<OpenedDevice[]> => {
    manager = cliDeviceManager(undefined);
    await manager.start();
    const listed = manager.list();
    if (listed.length === 0) {
      // An empty list is often a transport that cannot work here: say why, as `latchkey devices` does.
      for (const t of manager.transports()) if (t.state === 'unavailable') io.err(`${t.transport.toUpperCase()}: ${t.reason ?? 'unavailable'}`);
      return [];
    }
    const results = await Promise.allSettled(listed.map((d) => manager!.open(d.id)));
    const keys = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (keys.length === 0) throw (results[0] as PromiseRejectedResult).reason;
    return keys;
  };
  return {
    virtual: undefined,
    async devices() {
      opened ??= open();
      // A U2F-only key has no Ctap2: the client detects it from the raw device and uses U2F.
      return (await opened).map((o): NamedAuthenticator => ({ authenticator: o.ctap2 ?? o.device, name: o.info.name }));
    },
    async saveState() {},
    async close() {
      const keys = opened ? await opened.catch(() => []) : [];
      await Promise.allSettled(keys.map((k) => k.device.close()));
      await manager?.stop();
    },
  };
}
