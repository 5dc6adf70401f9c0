import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/ctap/bytes.js';
import { TransportError } from '../../../../src/ctap/errors.js';
import { PcscError } from '../../../../src/main/devices/pcsc/PcscError.js';
import { PcscService } from '../../../../src/main/devices/pcsc/PcscService.js';
import { ReaderState } from '../../../../src/main/devices/pcsc/readerState.js';
import { FakePcsc } from './fakePcsc.js';
import { rejection } from '../../../support/rejection.js';

function record(service: PcscService): string[] {
  const events: string[] = [];
  for (const name of ['reader-added', 'reader-removed', 'card-inserted', 'card-removed'] as const) {
    service.on(name, (reader) => events.push(`${name} ${reader}`));
  }
  service.on('stopped', (error) => events.push(`stopped ${error.code}`));
  return events;
}

const echo = (apdu: Uint8Array) => Uint8Array.of(...apdu, 0x90, 0x00);

describe('PcscService', () => {
  it('reports readers present at start, then cards arriving and leaving', async () => {
    const pcsc = new FakePcsc();
    const reader = pcsc.plug('ACS ACR122U 00 00');
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    reader.insert(echo);
    expect(service.readers()).toEqual([{ name: 'ACS ACR122U 00 00', cardPresent: true }]);
    reader.pull();
    expect(events).toEqual([
      'reader-added ACS ACR122U 00 00',
      'card-inserted ACS ACR122U 00 00',
      'card-removed ACS ACR122U 00 00',
    ]);
  });

  it('reports a reader plugged in later and, when unplugged with a card on it, the card first', async () => {
    const pcsc = new FakePcsc();
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    const reader = pcsc.plug('Virtual PCD 00 01');
    reader.insert(echo);
    reader.unplug();
    expect(events).toEqual([
      'reader-added Virtual PCD 00 01',
      'card-inserted Virtual PCD 00 01',
      'card-removed Virtual PCD 00 01',
      'reader-removed Virtual PCD 00 01',
    ]);
    expect(service.readers()).toEqual([]);
  });

  it('ignores repeated states and does not count a mute card as present', async () => {
    const pcsc = new FakePcsc();
    const reader = pcsc.plug('r');
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    reader.emitState(ReaderState.PRESENT | ReaderState.MUTE);
    reader.emitState(ReaderState.EMPTY);
    reader.emitState(ReaderState.PRESENT | ReaderState.INUSE);
    reader.emitState(ReaderState.PRESENT | ReaderState.INUSE | ReaderState.CHANGED);
    expect(events).toEqual(['reader-added r', 'card-inserted r']);
  });

  it('rejects start with PcscError(service-unavailable) saying pcscd is not running', async () => {
    const pcsc = new FakePcsc();
    pcsc.startFailure = 'NoService';
    const service = new PcscService({ binding: pcsc });
    const error = await rejection(service.start());
    expect(error).toBeInstanceOf(PcscError);
    expect(error).toMatchObject({ code: 'service-unavailable', pcscCode: 'NoService' });
    if (process.platform === 'linux') expect((error as Error).message).toMatch(/pcscd is not running/);
    expect(service.running).toBe(false);
  });

  it('passes on a loader failure (no native addon for this platform) as PcscError', async () => {
    const service = new PcscService({
      binding: async () => {
        throw new PcscError('service-unavailable', 'PC/SC support could not be loaded');
      },
    });
    expect(await rejection(service.start())).toMatchObject({ code: 'service-unavailable' });
  });

  it('when the watch dies (pcscd stopped), reports every card and reader gone, then stopped', async () => {
    const pcsc = new FakePcsc();
    pcsc.plug('r').insert(echo);
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    pcsc.fail('ServiceStopped');
    expect(events).toEqual([
      'reader-added r',
      'card-inserted r',
      'card-removed r',
      'reader-removed r',
      'stopped service-unavailable',
    ]);
    expect(service.running).toBe(false);
  });

  it('stops silently, and can start again', async () => {
    const pcsc = new FakePcsc();
    pcsc.plug('r');
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    await service.stop();
    expect(events).toEqual(['reader-added r']);
    await service.start();
    expect(events).toEqual(['reader-added r', 'reader-added r']);
  });

  it('stops at once for its users, but stops the library\u2019s watch only once its thread has been quiet for 100 ms', async () => {
    const pcsc = new FakePcsc();
    const reader = pcsc.plug('r');
    const service = new PcscService({ binding: pcsc });
    const events = record(service);
    await service.start();
    await new Promise((r) => setTimeout(r, 150));
    reader.insert(echo);
    const startedAt = Date.now();
    const stopped = service.stop();
    // No more events and no more readers from here on, though the library is still watching.
    expect(service.running).toBe(false);
    expect(service.readers()).toEqual([]);
    expect(pcsc.watching).toBe(true);
    reader.pull();
    await stopped;
    expect(pcsc.watching).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);
    expect(events).toEqual(['reader-added r', 'card-inserted r']);
  });

  describe('connect', () => {
    it('connects to the named reader and transmits through a SmartCardConnection', async () => {
      const pcsc = new FakePcsc();
      pcsc.plug('a');
      const b = pcsc.plug('b');
      b.insert(echo);
      const service = new PcscService({ binding: pcsc });
      await service.start();
      const conn = await service.connect('b');
      expect(conn.readerName).toBe('b');
      expect(toHex(await conn.transmit(fromHex('00a40400')))).toBe('00a404009000');
      expect(toHex(await conn.atr())).toBe('3b80800101');
      // Asked again (discovery names the card, then CtapNfcDevice picks its APDU form): pcscd is asked once, and each
      // caller gets its own copy.
      const again = await conn.atr();
      again.fill(0);
      expect(toHex(await conn.atr())).toBe('3b80800101');
      expect(b.atrReads).toBe(1);
      await conn.close();
    });

    it('without a name, picks the first reader holding a card', async () => {
      const pcsc = new FakePcsc();
      pcsc.plug('a');
      pcsc.plug('b').insert(echo);
      const service = new PcscService({ binding: pcsc });
      await service.start();
      expect((await service.connect()).readerName).toBe('b');
    });

    it('rejects with PcscError(no-reader) when no reader is connected, or none has the name', async () => {
      const pcsc = new FakePcsc();
      const service = new PcscService({ binding: pcsc });
      await service.start();
      expect(await rejection(service.connect())).toMatchObject({
        code: 'no-reader',
        message: 'No smart card reader is connected.',
      });
      pcsc.plug('Virtual PCD 00 00');
      expect(await rejection(service.connect('Other'))).toMatchObject({
        code: 'no-reader',
        message: 'No smart card reader named "Other"; connected: "Virtual PCD 00 00".',
      });
    });

    it('rejects with PcscError(no-card) when the reader is empty', async () => {
      const pcsc = new FakePcsc();
      pcsc.plug('r');
      const service = new PcscService({ binding: pcsc });
      await service.start();
      expect(await rejection(service.connect('r'))).toMatchObject({ code: 'no-card' });
      expect(await rejection(service.connect())).toMatchObject({ code: 'no-card' });
    });

    it('maps a connect failure to PcscError (SharingViolation: another application holds the card)', async () => {
      const pcsc = new FakePcsc();
      const reader = pcsc.plug('r');
      reader.insert(echo);
      reader.connectFailure = 'SharingViolation';
      const service = new PcscService({ binding: pcsc });
      await service.start();
      expect(await rejection(service.connect('r'))).toMatchObject({
        code: 'sharing-violation',
        pcscCode: 'SharingViolation',
      });
    });

    it('refuses to connect before start', async () => {
      expect(await rejection(new PcscService({ binding: new FakePcsc() }).connect())).toMatchObject({
        code: 'service-unavailable',
      });
    });
  });

  describe('PcscCardConnection', () => {
    async function connected() {
      const pcsc = new FakePcsc();
      const reader = pcsc.plug('r');
      reader.insert(echo);
      const service = new PcscService({ binding: pcsc });
      await service.start();
      return { reader, conn: await service.connect('r') };
    }

    it('turns a card pulled mid-session into TransportError(closed)', async () => {
      const { reader, conn } = await connected();
      reader.pull();
      const error = await rejection(conn.transmit(fromHex('00a40400')));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'closed', message: 'the card left the reader "r"' });
    });

    it('copies each answer out of the shared receive buffer', async () => {
      const { conn } = await connected();
      const first = await conn.transmit(fromHex('01'));
      await conn.transmit(fromHex('02'));
      expect(toHex(first)).toBe('019000');
    });

    it('closes once, even when the card is already gone, and refuses APDUs afterwards', async () => {
      const { reader, conn } = await connected();
      reader.pull();
      await conn.close();
      await conn.close();
      expect(reader.disconnects).toBe(1);
      expect(await rejection(conn.transmit(fromHex('00')))).toMatchObject({ code: 'closed' });
    });

    it('is closed by the service when its card leaves, freeing the PC/SC handle', async () => {
      const { reader, conn } = await connected();
      reader.pull();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(reader.disconnects).toBe(1);
      expect(await rejection(conn.transmit(fromHex('00')))).toMatchObject({ code: 'closed' });
    });

    it('keeps APDUs in order when callers do not wait for each other', async () => {
      const { conn } = await connected();
      const answers = await Promise.all([1, 2, 3].map((n) => conn.transmit(Uint8Array.of(n))));
      expect(answers.map(toHex)).toEqual(['019000', '029000', '039000']);
    });
  });
});
