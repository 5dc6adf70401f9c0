import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/ctap/errors.js';
import { VirtualAuthenticator, type PresenceHandler } from '../../../src/ctap/virtual/index.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import type { DeviceInfo, TransportStatus } from '../../../src/main/devices/DeviceInfo.js';
import {
  DeviceManager,
  type DeviceManagerEvents,
  type DeviceManagerOptions,
} from '../../../src/main/devices/DeviceManager.js';
import { VirtualSource } from '../../../src/main/devices/virtual/VirtualSource.js';
import { FakeHidBackend, plugVirtualKey } from '../../support/fakeNodeHid.js';
import { FakePcsc } from './pcsc/fakePcsc.js';

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
const never: PresenceHandler = (req) =>
  new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted'))));
const after =
  (ms: number): PresenceHandler =>
  () =>
    new Promise((r) => setTimeout(() => r(true), ms));

let manager: DeviceManager | undefined;
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
});

function start(opts: DeviceManagerOptions): DeviceManager {
  manager = new DeviceManager({ pcsc: false, hidPollIntervalMs: 20, ...opts });
  return manager;
}

/** Records every event in order. */
function record(m: DeviceManager) {
  const events: { event: keyof DeviceManagerEvents; value: DeviceInfo | TransportStatus }[] = [];
  for (const event of ['added', 'removed', 'changed'] as const) m.on(event, (value) => events.push({ event, value }));
  m.on('transport', (value) => events.push({ event: 'transport', value }));
  return events;
}

function nextEvent<E extends keyof DeviceManagerEvents>(
  m: DeviceManager,
  event: E,
  timeoutMs = 10_000,
): Promise<DeviceManagerEvents[E][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    m.once(event, ((value: DeviceManagerEvents[E][0]) => {
      clearTimeout(timer);
      resolve(value);
    }) as never);
  });
}

describe('DeviceManager over USB (fake node-hid answered by a virtual key)', () => {
  it('lists a key with its product name at once, then its AAGUID, model and versions once getInfo is read', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator({ profile: 'yubikey5' }), 'SN123');
    const m = start({ hid });
    const events = record(m);
    await m.start();

    expect(events.filter((e) => e.event === 'added').map((e) => e.value)).toEqual([
      {
        id: 'usb:1050:0407:SN123',
        transport: 'usb',
        name: 'YubiKey OTP+FIDO+CCID',
        usb: {
          path: '/dev/hidraw1',
          vendorId: 0x1050,
          productId: 0x0407,
          product: 'YubiKey OTP+FIDO+CCID',
          serialNumber: 'SN123',
        },
      },
    ]);
    const changed = events.find((e) => e.event === 'changed')!.value as DeviceInfo;
    expect(changed).toMatchObject({
      id: 'usb:1050:0407:SN123',
      name: 'YubiKey 5 Series',
      aaguid: YUBIKEY5_AAGUID,
      model: 'YubiKey 5 Series',
    });
    expect(changed.versions).toContain('FIDO_2_0');
    expect(m.list()).toEqual([changed]);
    expect(m.transports()).toEqual([
      { transport: 'usb', state: 'available' },
      { transport: 'nfc', state: 'off' },
    ]);
  });

  it('gives a key without a serial number a path id, and so a second key claiming the same serial as another', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator(), '0123456789');
    plugVirtualKey(hid, 1, new VirtualAuthenticator(), '0123456789');
    plugVirtualKey(hid, 2, new VirtualAuthenticator());
    const m = start({ hid, readInfo: false });
    await m.start();
    expect(m.list().map((d) => d.id)).toEqual(['usb:/dev/hidraw3', 'usb:/dev/hidraw5', 'usb:1050:0407:0123456789']);
  });

  it('opens a key as CtapDevice + Ctap2 that makes a credential', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator(), 'SN1');
    const m = start({ hid });
    await m.start();
    const opened = await m.open('usb:1050:0407:SN1');
    try {
      expect(opened.device.transport).toBe('usb');
      expect(opened.info.name).toBe('YubiKey 5 Series');
      const attestation = await opened.ctap2!.makeCredential({
        clientDataHash: createHash('sha256').update('x').digest(),
        rp: { id: 'latchkey.localhost' },
        user: { id: Uint8Array.of(1), name: 'alice' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      });
      expect(attestation.authData.attestedCredentialData?.credentialId.length).toBeGreaterThan(0);
    } finally {
      await opened.device.close();
    }
    // The handle node-hid gave us saw only 65-byte writes with report ID 0 (virtualKeyHandle refuses anything else).
    expect(hid.handles.get('/dev/hidraw1')!.writes.every((w) => w.length === 65 && w[0] === 0)).toBe(true);
  });

  it('opens a U2F-only key without a Ctap2 and lists it as U2F_V2', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator({ profile: 'u2fOnly' }), 'U2F1');
    const m = start({ hid });
    await m.start();
    expect(m.get('usb:1050:0407:U2F1')).toMatchObject({ versions: ['U2F_V2'] });
    expect(m.get('usb:1050:0407:U2F1')?.aaguid).toBeUndefined();
    const opened = await m.open('usb:1050:0407:U2F1');
    expect(opened.ctap2).toBeUndefined();
    await opened.device.close();
  });

  it('reads no key before start and none after stop', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator());
    const m = start({ hid });
    expect(m.list()).toEqual([]);
    await m.start();
    expect(m.list()).toHaveLength(1);
    await m.stop();
    expect(m.list()).toEqual([]);
    const calls = hid.listCalls;
    await new Promise((r) => setTimeout(r, 60));
    expect(hid.listCalls).toBe(calls);
  });
});

describe('DeviceManager touch-to-select', () => {
  it('returns the key the user touched, opened, and closes the others', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator({ presence: never, keepaliveIntervalMs: 20 }), 'A');
    plugVirtualKey(hid, 1, new VirtualAuthenticator({ presence: after(50), keepaliveIntervalMs: 20 }), 'B');
    const m = start({ hid });
    await m.start();
    const chosen = await m.selectByTouch();
    expect(chosen.info.id).toBe('usb:1050:0407:B');
    await expect(chosen.ctap2!.getInfo()).resolves.toBeTruthy();
    await chosen.device.close();
    // The loser was cancelled and closed, so it opens again at once.
    const loser = await m.open('usb:1050:0407:A');
    await loser.device.close();
  });

  it('returns a lone key without asking for a touch, and names the keys present when an id is wrong', async () => {
    const m = start({ hid: false });
    await m.start();
    await expect(m.selectByTouch()).rejects.toMatchObject({ reason: 'no-device' });
    await m.addVirtual(new VirtualAuthenticator({ presence: never }), { name: 'demo' });
    const lone = await m.selectByTouch();
    expect(lone.info).toMatchObject({
      id: 'virtual:demo',
      transport: 'virtual',
      name: 'demo',
      aaguid: YUBIKEY5_AAGUID,
    });
    await lone.device.close();
    const error = await m.open('usb:nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as Error).message).toBe('No security key with id "usb:nope"; connected: "virtual:demo".');
  });

  it('is cancelled as a whole by its signal', async () => {
    const m = start({ hid: false });
    await m.start();
    await m.addVirtual(new VirtualAuthenticator({ presence: never, keepaliveIntervalMs: 20 }), { name: 'a' });
    await m.addVirtual(new VirtualAuthenticator({ presence: never, keepaliveIntervalMs: 20 }), { name: 'b' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(m.selectByTouch(undefined, { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('DeviceManager merging its sources', () => {
  it('lists USB, then NFC, then virtual keys under today\u2019s ids, and reports each transport (off when left out)', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator(), 'SN1');
    const pcsc = new FakePcsc();
    const card = new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' });
    pcsc.plug('Reader').insert((apdu) => card.transmit(apdu));
    const m = start({ hid, pcsc: { binding: pcsc } });
    const events = record(m);
    await m.addVirtual(new VirtualAuthenticator(), { name: 'demo' });
    await m.start();
    expect(m.list().map((d) => [d.id, d.transport, d.name])).toEqual([
      ['usb:1050:0407:SN1', 'usb', 'YubiKey 5 Series'],
      ['nfc:Reader', 'nfc', 'YubiKey 5 Series'],
      ['virtual:demo', 'virtual', 'demo'],
    ]);
    expect(
      events
        .filter((e) => e.event === 'added')
        .map((e) => (e.value as DeviceInfo).id)
        .sort(),
    ).toEqual(['nfc:Reader', 'usb:1050:0407:SN1', 'virtual:demo']);
    expect(m.transports()).toEqual([
      { transport: 'usb', state: 'available' },
      { transport: 'nfc', state: 'available' },
    ]);
    const usbOnly = new DeviceManager({ pcsc: false, hid });
    expect(usbOnly.transports()).toEqual([
      { transport: 'usb', state: 'unavailable', reason: 'not started' },
      { transport: 'nfc', state: 'off' },
    ]);
  });

  it('passes a source\u2019s status changes on as transport events', async () => {
    const pcsc = new FakePcsc();
    pcsc.startFailure = 'NoService';
    const m = start({ hid: false, pcsc: { binding: pcsc }, pcscRetryMs: 30 });
    await m.start();
    expect(m.transports()[1]).toMatchObject({
      transport: 'nfc',
      state: 'unavailable',
      reason: expect.stringMatching(/pcscd is not running/) as unknown as string,
    });
    const back = nextEvent(m, 'transport');
    pcsc.startFailure = undefined;
    expect(await back).toEqual({ transport: 'nfc', state: 'available' });
  });

  it('keeps ids unique across sources: a key another source also proposes gets a numbered id, and keeps it', async () => {
    // A second virtual source stands in for any added source (webauthn.dll, BLE) whose ids could meet another's.
    const extra = new VirtualSource({ readInfo: false });
    const m = start({ hid: false, readInfo: false, sources: [extra] });
    await m.start();
    await m.addVirtual(new VirtualAuthenticator(), { name: 'demo' });
    const removed = nextEvent(m, 'removed');
    await extra.add(new VirtualAuthenticator(), { name: 'demo' });
    expect(m.list().map((d) => d.id)).toEqual(['virtual:demo#2', 'virtual:demo']);
    expect(m.removeVirtual('virtual:demo#2')).toBe(false);
    expect(m.removeVirtual('virtual:demo')).toBe(true);
    expect((await removed).id).toBe('virtual:demo');
    expect(m.list().map((d) => d.id)).toEqual(['virtual:demo#2']);
    const opened = await m.open('virtual:demo#2');
    expect(opened.info.id).toBe('virtual:demo#2');
    await opened.device.close();
  });

  it('stops every source and forgets every key, without events', async () => {
    const pcsc = new FakePcsc();
    const card = new VirtualNfcCard(new VirtualAuthenticator());
    pcsc.plug('Reader').insert((apdu) => card.transmit(apdu));
    const m = start({ hid: false, pcsc: { binding: pcsc } });
    await m.start();
    expect(m.list()).toHaveLength(1);
    const events = record(m);
    await m.stop();
    expect(m.list()).toEqual([]);
    expect(events).toEqual([]);
    expect(pcsc.watching).toBe(false);
    expect(m.transports()[1]).toEqual({ transport: 'nfc', state: 'unavailable', reason: 'not started' });
  });
});
