import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import type { EventName } from '../../../src/ipc/contract.js';
import { DesktopCore, type DesktopCoreOptions } from '../../../src/main/ipc/DesktopCore.js';
import { IpcDispatcher } from '../../../src/main/ipc/IpcDispatcher.js';
import { DeviceManager } from '../../../src/main/devices/index.js';
import { virtualKeySource } from '../../../src/main/services/index.js';
import { TestKeychain } from '../../support/testKeychain.js';
import { testShell } from '../../support/testShell.js';
import { makeVirtualKey } from '../../support/virtualKeyFile.js';

const PAGE = 'http://127.0.0.1:1/index.html';
const EMAIL = 'ada@example.org';
const PASSWORD = 'correct horse battery';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-core-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function open(options: Partial<DesktopCoreOptions> = {}) {
  const events: { event: EventName; payload: unknown }[] = [];
  const shell = testShell(dir);
  const core = await DesktopCore.open({
    dataDir: join(dir, 'data'),
    shell,
    send: (event, payload) => events.push({ event, payload }),
    keys: virtualKeySource({ statePath: await makeVirtualKey(join(dir, `key-${Math.random()}.json`)) }),
    ...options,
  });
  const dispatcher = new IpcDispatcher(core, { isTrustedSender: () => true });
  const call = async (channel: string, request: unknown) => {
    const answer = await dispatcher.dispatch(channel, request, PAGE);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code}: ${answer.error.message}`);
    return answer.value as never;
  };
  const locks = () => events.filter((e) => e.event === 'locked').map((e) => (e.payload as { reason: string }).reason);
  const nextLock = () =>
    new Promise<void>((resolve) => {
      const seen = locks().length;
      const poll = setInterval(() => {
        if (locks().length > seen) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
  return { core, shell, events, call, locks, nextLock };
}

/** The password prompt the page was sent (polled: it comes while a call is still running). */
function passwordPrompt(events: readonly { event: string; payload: unknown }[]): Promise<{ id: string }> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const prompt = events.find(
        (e) => e.event === 'prompt' && (e.payload as { prompt: { kind: string } }).prompt.kind === 'password',
      );
      if (prompt) {
        clearInterval(poll);
        resolve(prompt.payload as { id: string });
      }
    }, 5);
  });
}

describe('DesktopCore', () => {
  it('locks after the idle time, and activity puts it off', async () => {
    const app = await open({ idleMinuteMs: 150 });
    try {
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      await app.call('preferences:set', { autoLockMinutes: 1 });
      const locked = app.nextLock();
      await app.call('vault:list', {});
      await locked;
      expect(app.locks()).toEqual(['idle']);
      expect((await app.call('app:state', {})) as { vault: string }).toMatchObject({ vault: 'none' });
      const refused = await new IpcDispatcher(app.core, { isTrustedSender: () => true }).dispatch(
        'vault:list',
        {},
        PAGE,
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'signed-out' } });
    } finally {
      await app.core.close();
    }
  });

  it('never locks on idle when auto-lock is 0', async () => {
    const app = await open({ idleMinuteMs: 1 });
    try {
      await app.call('preferences:set', { autoLockMinutes: 0 });
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      // Many idle "minutes" pass while the vault is used; nothing locks it.
      for (let i = 0; i < 20; i++) await app.call('vault:list', {});
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(app.locks()).toEqual([]);
    } finally {
      await app.core.close();
    }
  });

  it('locks when a key is removed, if the preference says so, and clears the clipboard', async () => {
    const devices = new DeviceManager({ hid: false, pcsc: false });
    await devices.start();
    const app = await open({ devices });
    try {
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      await app.call('preferences:set', { lockOnKeyRemoval: true });
      await app.call('vault:addEntry', { uri: 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP' });
      const [entry] = ((await app.call('vault:list', {})) as { entries: { id: string }[] }).entries;
      await app.call('vault:copy', { id: entry!.id });
      expect(app.shell.clipboard).toMatch(/^\d{6}$/);
      const info = await devices.addVirtual(new VirtualAuthenticator());
      const locked = app.nextLock();
      devices.removeVirtual(info.id);
      await locked;
      expect(app.locks()).toEqual(['key-removed']);
      expect(app.shell.clipboard).toBe('');
    } finally {
      await app.core.close();
    }
  });

  it('registers a key through the device manager that the "Keys present" screen shows (one manager for both)', async () => {
    const devices = new DeviceManager({ hid: false, pcsc: false });
    await devices.start();
    await devices.addVirtual(new VirtualAuthenticator(), { name: 'Desk key' });
    const app = await open({ devices, keys: undefined });
    try {
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      const registering = app.call('keys:add', { name: 'Desk key' });
      // The account's first key reshapes the vault: the password is asked again, through a prompt.
      const asked = await passwordPrompt(app.events);
      await app.call('prompt:answer', { id: asked.id, answer: { kind: 'secret', value: PASSWORD } });
      expect(await registering).toMatchObject({ name: 'Desk key', vaultUnlock: 'hmac-secret' });
    } finally {
      await app.core.close();
    }
  });

  it('gives a key without hmac-secret an os-keychain slot, shown as such and warned as weaker', async () => {
    const app = await open({
      keys: virtualKeySource({ statePath: await makeVirtualKey(join(dir, 'u2f.json'), { profile: 'u2fOnly' }) }),
      keychain: new TestKeychain(),
    });
    try {
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      const registering = app.call('keys:add', { name: 'Old key' });
      const asked = await passwordPrompt(app.events);
      await app.call('prompt:answer', { id: asked.id, answer: { kind: 'secret', value: PASSWORD } });
      expect(await registering).toMatchObject({ name: 'Old key', vaultUnlock: 'os-keychain' });
      expect(await app.call('keys:list', {})).toEqual([expect.objectContaining({ vaultUnlock: 'os-keychain' })]);
      const warnings = app.events
        .filter((e) => e.event === 'warning')
        .map((e) => (e.payload as { message: string }).message);
      expect(warnings).toEqual([expect.stringMatching(/through the OS keychain, which is weaker/)]);
    } finally {
      await app.core.close();
    }
  });

  it('does not lock when an NFC key leaves the reader (it does after every tap)', async () => {
    const devices = new DeviceManager({ hid: false, pcsc: false });
    await devices.start();
    const app = await open({ devices });
    try {
      await app.call('account:create', { email: EMAIL, password: PASSWORD });
      await app.call('preferences:set', { lockOnKeyRemoval: true });
      devices.emit('removed', { id: 'nfc:Reader 00', transport: 'nfc', name: 'Security key' });
      await app.call('app:state', {});
      expect(app.locks()).toEqual([]);
      expect(((await app.call('app:state', {})) as { vault: string }).vault).toBe('open');
    } finally {
      await app.core.close();
    }
  });

  it('starts on the default preferences, and says so, when the preferences file is damaged', async () => {
    await mkdir(join(dir, 'data'), { recursive: true });
    await writeFile(join(dir, 'data', 'preferences.json'), '{ not json');
    const app = await open();
    try {
      const state = (await app.call('app:state', {})) as { preferences: { autoLockMinutes: number } };
      expect(state.preferences.autoLockMinutes).toBe(5);
      expect(app.events.find((e) => e.event === 'warning')?.payload).toMatchObject({
        message: expect.stringContaining('preferences.json'),
      });
    } finally {
      await app.core.close();
    }
  });

  it('keeps the preferences across restarts and refuses an out-of-range one without writing it', async () => {
    const first = await open();
    await first.call('preferences:set', { theme: 'dark', clipboardClearSeconds: 45 });
    const refused = await new IpcDispatcher(first.core, { isTrustedSender: () => true }).dispatch(
      'preferences:set',
      { clipboardClearSeconds: 100_000 },
      PAGE,
    );
    expect(refused.ok).toBe(false);
    await first.core.close();
    const second = await open();
    try {
      const state = (await second.call('app:state', {})) as {
        preferences: { theme: string; clipboardClearSeconds: number };
      };
      expect(state.preferences).toMatchObject({ theme: 'dark', clipboardClearSeconds: 45 });
    } finally {
      await second.core.close();
    }
  });

  it('gives a new recovery code that recovers the vault with its entries, and the old code no longer does', async () => {
    const keyFile = await makeVirtualKey(join(dir, 'key.json'));
    const app = await open({ keys: virtualKeySource({ statePath: keyFile }) });
    const { recoveryCode: first } = (await app.call('account:create', { email: EMAIL, password: PASSWORD })) as {
      recoveryCode: string;
    };
    await app.call('vault:addEntry', { uri: 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP' });
    const { recoveryCode: second } = (await app.call('account:regenerateRecoveryCode', { password: PASSWORD })) as {
      recoveryCode: string;
    };
    expect(second).not.toBe(first);
    await app.core.close();
    // A lost key: another one, the same data folder.
    const again = await open({
      keys: virtualKeySource({ statePath: await makeVirtualKey(join(dir, 'new-key.json')) }),
    });
    try {
      await expect(
        again.call('account:recover', { email: EMAIL, password: PASSWORD, recoveryCode: first }),
      ).rejects.toThrow(/recovery/i);
      await again.call('account:recover', { email: EMAIL, password: PASSWORD, recoveryCode: second });
      const list = (await again.call('vault:list', {})) as { entries: { service: string }[] };
      expect(list.entries.map((e) => e.service)).toEqual(['GitHub']);
    } finally {
      await again.core.close();
    }
  });
});
