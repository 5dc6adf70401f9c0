import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/ctap/errors.js';
import { VirtualAuthenticator, type PresenceHandler } from '../../../src/ctap/virtual/index.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import type { DeviceInfo, TransportStatus } from '../../../src/main/devices/DeviceInfo.js';
import { DeviceManager, type DeviceManagerEvents, type DeviceManagerOptions } from '../../../src/main/devices/DeviceManager.js';
import { FakeHidBackend, plugVirtualKey, yubikeyInterfaces } from '../../support/fakeNodeHid.js';
import { FakePcsc } from './pcsc/fakePcsc.js';

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
const never: PresenceHandler = (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted'))));
const after = (ms: number): PresenceHandler => () => new Promise((r) => setTimeout(() => r(true), ms));

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

function nextEvent<E extends keyof DeviceManagerEvents>(m: DeviceManager, event: E, timeoutMs = 2_000): Promise<DeviceManagerEvents[E][0]> {
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
        usb: { path: '/dev/hidraw1', vendorId: 0x1050, productId: 0x0407, product: 'YubiKey OTP+FIDO+CCID', serialNumber: 'SN123' },
      },
    ]);
    const changed = events.find((e) => e.event === 'changed')!.value as DeviceInfo;
    expect(changed).toMatchObject({ id: 'usb:1050:0407:SN123', name: 'YubiKey 5 Series', aaguid: YUBIKEY5_AAGUID, model: 'YubiKey 5 Series' });
    expect(changed.versions).toContain('FIDO_2_0');
    expect(m.list()).toEqual([changed]);
    expect(m.transports()).toEqual([
      { transport: 'usb', state: 'available' },
      { transport: 'nfc', state: 'off' },
    ]);
  });

  it('never lists the keyboard interface of a key, only its FIDO interface', async () => {
    const hid = new FakeHidBackend();
    hid.devices = yubikeyInterfaces(0);
    const m = start({ hid, readInfo: false });
    await m.start();
    expect(m.list().map((d) => d.usb?.path)).toEqual(['/dev/hidraw1']);
  });

  it('reports keys plugged in and pulled out after start', async () => {
    const hid = new FakeHidBackend();
    const m = start({ hid });
    await m.start();
    expect(m.list()).toEqual([]);

    const added = nextEvent(m, 'added');
    const changed = nextEvent(m, 'changed');
    plugVirtualKey(hid, 0, new VirtualAuthenticator());
    expect((await added).id).toBe('usb:/dev/hidraw1');
    expect((await changed).aaguid).toBe(YUBIKEY5_AAGUID);

    const removed = nextEvent(m, 'removed');
    hid.devices = [];
    expect((await removed).id).toBe('usb:/dev/hidraw1');
    expect(m.list()).toEqual([]);
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

  it('keeps a key it may not open listed, with the explanation a user can act on', async () => {
    const hid = new FakeHidBackend();
    hid.devices = yubikeyInterfaces(0);
    hid.openError = Object.assign(new Error('open /dev/hidraw1: Permission denied'), { code: 'EACCES' });
    const m = start({ hid });
    await m.start();
    const [device] = m.list();
    expect(device?.problem).toBeDefined();
    if (process.platform === 'linux') expect(device?.problem).toMatch(/udev rule/);
    await expect(m.open(device!.id)).rejects.toMatchObject({ code: 'access-denied' });
  });

  it('says USB is unavailable, without failing, when node-hid cannot load or cannot list devices, and recovers', async () => {
    const broken = start({ hid: async () => Promise.reject(new Error('libusb missing')) });
    await broken.start();
    expect(broken.transports()[0]).toEqual({
      transport: 'usb',
      state: 'unavailable',
      reason: 'USB security keys cannot be used: node-hid could not be loaded (libusb missing).',
    });
    await broken.stop();

    const hid = new FakeHidBackend();
    let failing = true;
    const list = hid.devicesAsync.bind(hid);
    hid.devicesAsync = () => (failing ? Promise.reject(new Error('hid_enumerate failed')) : list());
    const m = start({ hid });
    await m.start();
    expect(m.transports()[0]).toMatchObject({ state: 'unavailable', reason: 'USB security keys cannot be listed: hid_enumerate failed' });
    const recovered = nextEvent(m, 'transport');
    failing = false;
    expect(await recovered).toEqual({ transport: 'usb', state: 'available' });
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
    expect(lone.info).toMatchObject({ id: 'virtual:demo', transport: 'virtual', name: 'demo', aaguid: YUBIKEY5_AAGUID });
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
    await expect(m.selectByTouch(undefined, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('DeviceManager over NFC (fake PC/SC)', () => {
  const noApplet = (): Uint8Array => Uint8Array.of(0x6a, 0x82);

  it('lists a FIDO card with its AAGUID and model, skips a card without the FIDO applet, and drops a card that leaves', async () => {
    const pcsc = new FakePcsc();
    const fido = pcsc.plug('ACS ACR122U 00 00');
    const bank = pcsc.plug('ACS ACR122U 00 01');
    const card = new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' });
    let ctapMessages = 0;
    fido.insert((apdu) => {
      if (apdu[0] === 0x80 && apdu[1] === 0x10) ctapMessages++;
      return card.transmit(apdu);
    });
    bank.insert(noApplet);
    const m = start({ hid: false, pcsc: { binding: pcsc } });
    const events = record(m);
    await m.start();
    expect(m.list()).toEqual([
      {
        id: 'nfc:ACS ACR122U 00 00',
        transport: 'nfc',
        name: 'YubiKey 5 Series',
        reader: 'ACS ACR122U 00 00',
        aaguid: YUBIKEY5_AAGUID,
        model: 'YubiKey 5 Series',
        versions: expect.arrayContaining(['FIDO_2_0']) as unknown as string[],
      },
    ]);
    expect(events.filter((e) => e.event === 'added')).toHaveLength(1);
    // The U2F_V2 card's CTAP2 probe was its getInfo: one NFCCTAP_MSG in all (each round trip costs time over NFC).
    expect(ctapMessages).toBe(1);

    const removed = nextEvent(m, 'removed');
    fido.pull();
    expect((await removed).id).toBe('nfc:ACS ACR122U 00 00');
    expect(m.list()).toEqual([]);
  });

  it('names a card it could not read after its reader and keeps the reason', async () => {
    const pcsc = new FakePcsc();
    pcsc.plug('Reader').insert(() => Uint8Array.of(0x6f, 0x00));
    const m = start({ hid: false, pcsc: { binding: pcsc } });
    await m.start();
    expect(m.list()).toEqual([
      { id: 'nfc:Reader', transport: 'nfc', name: 'Security key on Reader', reader: 'Reader', problem: expect.stringMatching(/6f00/i) as unknown as string },
    ]);
  });

  it('says NFC is unavailable when pcscd is not running, and picks it up once it runs', async () => {
    const pcsc = new FakePcsc();
    pcsc.startFailure = 'NoService';
    const m = start({ hid: false, pcsc: { binding: pcsc }, pcscRetryMs: 30 });
    await m.start();
    expect(m.transports()[1]).toMatchObject({ transport: 'nfc', state: 'unavailable', reason: expect.stringMatching(/pcscd is not running/) as unknown as string });
    const back = nextEvent(m, 'transport');
    pcsc.startFailure = undefined;
    expect(await back).toEqual({ transport: 'nfc', state: 'available' });
  });

  it('drops the NFC keys and reports NFC unavailable when pcscd stops', async () => {
    const pcsc = new FakePcsc();
    const card = new VirtualNfcCard(new VirtualAuthenticator());
    pcsc.plug('Reader').insert((apdu) => card.transmit(apdu));
    const m = start({ hid: false, pcsc: { binding: pcsc }, pcscRetryMs: 0 });
    await m.start();
    expect(m.list()).toHaveLength(1);
    const removed = nextEvent(m, 'removed');
    const down = nextEvent(m, 'transport');
    pcsc.fail('ServiceStopped');
    expect((await removed).id).toBe('nfc:Reader');
    expect((await down).state).toBe('unavailable');
  });
});
