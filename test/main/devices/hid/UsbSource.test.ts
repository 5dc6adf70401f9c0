import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../../src/ctap/index.js';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { UsbSource, type UsbSourceOptions } from '../../../../src/main/devices/hid/UsbSource.js';
import { FakeHidBackend, plugVirtualKey, yubikeyInterfaces } from '../../../support/fakeNodeHid.js';
import { nextSourceEvent, recordSource } from '../sourceEvents.js';

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';

let source: UsbSource | undefined;
afterEach(async () => {
  await source?.stop();
  source = undefined;
});

function usb(opts: UsbSourceOptions): UsbSource {
  source = new UsbSource({ pollIntervalMs: 20, ...opts });
  return source;
}

describe('UsbSource (fake node-hid answered by a virtual key)', () => {
  it('lists a key with its product name at once, then its AAGUID, model and versions once getInfo is read', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator({ profile: 'yubikey5' }), 'SN123');
    const s = usb({ hid });
    const events = recordSource(s);
    await s.start();
    await s.settled();

    expect(events.filter((e) => e.event === 'added').map((e) => e.value)).toEqual([
      {
        key: '/dev/hidraw1',
        ids: ['usb:1050:0407:SN123', 'usb:/dev/hidraw1'],
        info: {
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
      },
    ]);
    const changed = events.find((e) => e.event === 'changed')!.value;
    expect(changed).toMatchObject({
      key: '/dev/hidraw1',
      info: { name: 'YubiKey 5 Series', aaguid: YUBIKEY5_AAGUID, model: 'YubiKey 5 Series' },
    });
    expect(typeof changed === 'object' && changed.info.versions).toContain('FIDO_2_0');
    expect(s.list()).toEqual([changed]);
    expect(s.status()).toEqual({ transport: 'usb', state: 'available' });
  });

  it('never lists the keyboard interface of a key, only its FIDO interface', async () => {
    const hid = new FakeHidBackend();
    hid.devices = yubikeyInterfaces(0);
    const s = usb({ hid, readInfo: false });
    await s.start();
    expect(s.list().map((d) => d.key)).toEqual(['/dev/hidraw1']);
  });

  it('reports keys plugged in and pulled out after start', async () => {
    const hid = new FakeHidBackend();
    const s = usb({ hid });
    await s.start();
    expect(s.list()).toEqual([]);

    const added = nextSourceEvent(s, 'added');
    const changed = nextSourceEvent(s, 'changed');
    plugVirtualKey(hid, 0, new VirtualAuthenticator());
    expect((await added).ids).toEqual(['usb:/dev/hidraw1']);
    expect((await changed).info.aaguid).toBe(YUBIKEY5_AAGUID);

    const removed = nextSourceEvent(s, 'removed');
    hid.devices = [];
    expect(await removed).toBe('/dev/hidraw1');
    expect(s.list()).toEqual([]);
  });

  it('opens a key as a CtapDevice that makes a credential, writing 65-byte reports with report ID 0', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator(), 'SN1');
    const s = usb({ hid });
    await s.start();
    const device = await s.open('/dev/hidraw1');
    try {
      expect(device.transport).toBe('usb');
      const attestation = await (
        await Ctap2.create(device)
      ).makeCredential({
        clientDataHash: createHash('sha256').update('x').digest(),
        rp: { id: 'latchkey.localhost' },
        user: { id: Uint8Array.of(1), name: 'alice' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      });
      expect(attestation.authData.attestedCredentialData?.credentialId.length).toBeGreaterThan(0);
    } finally {
      await device.close();
    }
    // The handle node-hid gave us saw only 65-byte writes with report ID 0 (virtualKeyHandle refuses anything else).
    expect(hid.handles.get('/dev/hidraw1')!.writes.every((w) => w.length === 65 && w[0] === 0)).toBe(true);
  });

  it('lists a U2F-only key as U2F_V2, without an AAGUID', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator({ profile: 'u2fOnly' }), 'U2F1');
    const s = usb({ hid });
    await s.start();
    await s.settled();
    const [listed] = s.list();
    expect(listed?.info.versions).toEqual(['U2F_V2']);
    expect(listed?.info.aaguid).toBeUndefined();
  });

  it('keeps a key it may not open listed, with the explanation a user can act on', async () => {
    const hid = new FakeHidBackend();
    hid.devices = yubikeyInterfaces(0);
    hid.openError = Object.assign(new Error('open /dev/hidraw1: Permission denied'), { code: 'EACCES' });
    const s = usb({ hid });
    await s.start();
    await s.settled();
    const [device] = s.list();
    expect(device?.info.problem).toBeDefined();
    if (process.platform === 'linux') expect(device?.info.problem).toMatch(/udev rule/);
    await expect(s.open(device!.key)).rejects.toMatchObject({ code: 'access-denied' });
  });

  it('says USB is unavailable, without failing, when node-hid cannot load or cannot list devices, and recovers', async () => {
    const broken = usb({ hid: async () => Promise.reject(new Error('libusb missing')) });
    await broken.start();
    expect(broken.status()).toEqual({
      transport: 'usb',
      state: 'unavailable',
      reason: 'USB security keys cannot be used: node-hid could not be loaded (libusb missing).',
    });
    await broken.stop();

    const hid = new FakeHidBackend();
    let failing = true;
    const list = hid.devicesAsync.bind(hid);
    hid.devicesAsync = () => (failing ? Promise.reject(new Error('hid_enumerate failed')) : list());
    const s = usb({ hid });
    await s.start();
    expect(s.status()).toMatchObject({
      state: 'unavailable',
      reason: 'USB security keys cannot be listed: hid_enumerate failed',
    });
    const recovered = nextSourceEvent(s, 'status');
    failing = false;
    expect(await recovered).toEqual({ transport: 'usb', state: 'available' });
  });

  it('says "not started" before start and after stop, and looks at no device list after stop', async () => {
    const hid = new FakeHidBackend();
    plugVirtualKey(hid, 0, new VirtualAuthenticator());
    const s = usb({ hid });
    expect(s.status()).toEqual({ transport: 'usb', state: 'unavailable', reason: 'not started' });
    expect(s.list()).toEqual([]);
    await s.start();
    expect(s.list()).toHaveLength(1);
    await s.stop();
    expect(s.list()).toEqual([]);
    expect(s.status()).toEqual({ transport: 'usb', state: 'unavailable', reason: 'not started' });
    const calls = hid.listCalls;
    // Several poll intervals (20 ms) pass: a watcher still running would have listed devices by then.
    await new Promise((r) => setTimeout(r, 100));
    expect(hid.listCalls).toBe(calls);
  });
});
