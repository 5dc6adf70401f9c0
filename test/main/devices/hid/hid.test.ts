import { describe, expect, it } from 'vitest';
import { fidoInterfaces, isFidoInterface } from '../../../../src/main/devices/hid/fidoInterfaces.js';
import { NodeHidConnection } from '../../../../src/main/devices/hid/NodeHidConnection.js';
import { HidWatcher } from '../../../../src/main/devices/hid/HidWatcher.js';
import { explainHidOpenError } from '../../../../src/main/devices/hid/openErrors.js';
import { TransportError } from '../../../../src/ctap/errors.js';
import { FakeHidBackend, yubikeyInterfaces } from '../../../support/fakeNodeHid.js';

describe('FIDO interface filtering', () => {
  it('keeps the FIDO interface of a key and drops its keyboard interface', () => {
    const list = fidoInterfaces([
      ...yubikeyInterfaces(0),
      { path: '/dev/hidraw9', vendorId: 0x046d, productId: 0xc52b, usagePage: 1, usage: 2 },
    ]);
    expect(list.map((d) => d.path)).toEqual(['/dev/hidraw1']);
  });

  it('drops interfaces without a path and duplicates of the same path', () => {
    const fido = yubikeyInterfaces(0)[1]!;
    expect(fidoInterfaces([fido, { ...fido }, { ...fido, path: undefined }])).toHaveLength(1);
    expect(isFidoInterface({ ...fido, usage: 2 })).toBe(false);
  });
});

describe('NodeHidConnection', () => {
  async function open() {
    const backend = new FakeHidBackend();
    backend.devices = yubikeyInterfaces(0);
    const conn = await NodeHidConnection.open(backend, '/dev/hidraw1');
    return { conn, handle: backend.handles.get('/dev/hidraw1')! };
  }

  it('writes 65 bytes: report ID 0x00 then the 64-byte report', async () => {
    const { conn, handle } = await open();
    const report = new Uint8Array(64).map((_, i) => i + 1);
    await conn.write(report);
    expect(handle.writes[0]!.length).toBe(65);
    expect(handle.writes[0]![0]).toBe(0);
    expect(new Uint8Array(handle.writes[0]!.subarray(1))).toEqual(report);
  });

  it('refuses a report that is not 64 bytes', async () => {
    const { conn } = await open();
    await expect(conn.write(new Uint8Array(63))).rejects.toMatchObject({ code: 'framing' });
  });

  it('reads a report and times out with a TransportError when none comes', async () => {
    const { conn, handle } = await open();
    handle.inbox.push(Buffer.alloc(64, 7));
    expect((await conn.read(100))[0]).toBe(7);
    const started = Date.now();
    await expect(conn.read(50)).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('turns a key pulled mid-operation into a closed TransportError and stays closed', async () => {
    const { conn, handle } = await open();
    const pending = conn.read(1000);
    setTimeout(() => (handle.unplugged = true), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('closed');
    expect((error as Error).message).toMatch(/removed/);
    await expect(conn.write(new Uint8Array(64))).rejects.toMatchObject({ code: 'closed' });
    expect(handle.closed).toBe(true);
  });
});

describe('HID open errors', () => {
  it('points Linux users at the udev rule on EACCES', () => {
    const error = explainHidOpenError(
      Object.assign(new Error('cannot open device /dev/hidraw1'), { code: 'EACCES' }),
      '/dev/hidraw1',
      'linux',
    );
    expect(error.code).toBe('access-denied');
    expect(error.message).toMatch(/70-latchkey-fido\.rules/);
    expect(error.message).toMatch(/udevadm/);
  });

  it('tells macOS users another app holds the key', () => {
    expect(explainHidOpenError(new Error('cannot open device'), 'DevSrvsID:4295', 'darwin').message).toMatch(
      /Another application is holding/,
    );
  });

  it('tells Windows users about the administrator restriction', () => {
    const error = explainHidOpenError(new Error('Access is denied.'), '\\\\?\\hid#vid_1050', 'win32');
    expect(error.code).toBe('access-denied');
    expect(error.message).toMatch(/administrator/);
  });

  it('keeps other failures as plain I/O errors that quote the cause', () => {
    const error = explainHidOpenError(new Error('device disconnected'), '/dev/hidraw1', 'linux');
    expect(error.code).toBe('io');
    expect(error.message).toMatch(/device disconnected/);
  });

  it('is applied by NodeHidConnection.open', async () => {
    const backend = new FakeHidBackend();
    backend.devices = yubikeyInterfaces(0);
    backend.openError = Object.assign(new Error('Permission denied'), { code: 'EACCES' });
    const error = await NodeHidConnection.open(backend, '/dev/hidraw1').catch((e: unknown) => e);
    expect((error as TransportError).code).toBe(process.platform === 'linux' ? 'access-denied' : expect.any(String));
  });
});

describe('HidWatcher', () => {
  it('reports keys added and removed between polls, by path, FIDO interfaces only', async () => {
    const backend = new FakeHidBackend();
    backend.devices = yubikeyInterfaces(0);
    const watcher = new HidWatcher(backend, { intervalMs: 10_000 });
    const events: string[] = [];
    watcher.on('added', (d) => events.push(`+${d.path}`));
    watcher.on('removed', (d) => events.push(`-${d.path}`));
    await watcher.start();
    expect(events).toEqual(['+/dev/hidraw1']);
    backend.devices = [...yubikeyInterfaces(0), ...yubikeyInterfaces(1)];
    await watcher.poll();
    backend.devices = yubikeyInterfaces(1);
    await watcher.poll();
    await watcher.poll();
    watcher.stop();
    expect(events).toEqual(['+/dev/hidraw1', '+/dev/hidraw3', '-/dev/hidraw1']);
    expect(watcher.devices.map((d) => d.path)).toEqual(['/dev/hidraw3']);
  });

  it('polls on its interval and shares one look between overlapping polls', async () => {
    const backend = new FakeHidBackend();
    const watcher = new HidWatcher(backend, { intervalMs: 20 });
    await watcher.start();
    await Promise.all([watcher.poll(), watcher.poll()]);
    const afterStart = backend.listCalls;
    await new Promise((r) => setTimeout(r, 110));
    watcher.stop();
    expect(afterStart).toBe(2);
    expect(backend.listCalls).toBeGreaterThanOrEqual(5);
  });

  it('reports a failing device list as an error event and keeps going', async () => {
    const backend = new FakeHidBackend();
    backend.devicesAsync = async () => {
      throw new Error('hidapi failed');
    };
    const watcher = new HidWatcher(backend);
    const errors: Error[] = [];
    watcher.on('error', (e) => errors.push(e));
    await watcher.poll();
    expect(errors[0]?.message).toBe('hidapi failed');
  });
});
