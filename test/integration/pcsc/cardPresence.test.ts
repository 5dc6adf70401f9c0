// On a real pcscd with the vpcd driver: a virtual card put into / taken out of a vpcd reader shows up as PcscService events.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/ctap/bytes.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { parseAtr } from '../../../src/ctap/nfc/atr.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { acquirePcscd } from '../../support/pcscd.js';
import { FakeAuthenticator } from '../../ctap/virtual/nfc/fakeAuthenticator.js';
import { VPCD_READER_0, VPCD_READER_1, nextEvent, vpcdReaders, usePcscTimeouts } from './pcscEvents.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();

describe.skipIf(pcscd.skipReason !== undefined)('card presence through pcscd + vpcd', () => {
  const service = new PcscService();
  beforeAll(async () => {
    await service.start();
    await vpcdReaders(service);
  });
  afterAll(() => service.stop());

  it('lists a card once it connects to vpcd and drops it once it leaves (the time each took is logged; bench/devices measures it)', async () => {
    const card = new VirtualNfcCard(new FakeAuthenticator());
    const inserted = nextEvent(service, 'card-inserted', VPCD_READER_0);
    const connectedAt = Date.now();
    const client = await VpcdClient.connect(card, { port: VPCD_PORTS[0] });
    await inserted;
    const appearMs = Date.now() - connectedAt;
    expect(service.readers()).toContainEqual({ name: VPCD_READER_0, cardPresent: true });

    const removed = nextEvent(service, 'card-removed', VPCD_READER_0);
    const leftAt = Date.now();
    await client.close();
    await removed;
    const goneMs = Date.now() - leftAt;
    expect(service.readers()).toContainEqual({ name: VPCD_READER_0, cardPresent: false });
    console.info(`vpcd card: listed ${appearMs} ms after connecting, gone ${goneMs} ms after leaving`);
  });

  it('tells the two vpcd readers apart and reads the ATR the card presented', async () => {
    const inserted = nextEvent(service, 'card-inserted', VPCD_READER_1);
    const card = new VirtualNfcCard(new FakeAuthenticator());
    const client = await VpcdClient.connect(card, { port: VPCD_PORTS[1] });
    await inserted;
    expect(service.readers()).toContainEqual({ name: VPCD_READER_0, cardPresent: false });
    const conn = await service.connect();
    expect(conn.readerName).toBe(VPCD_READER_1);
    expect(toHex(await conn.atr())).toBe(toHex(card.atr));
    expect(parseAtr(await conn.atr()).capabilities).toEqual({ commandChaining: true, extendedLengths: true });
    await conn.close();
    const removed = nextEvent(service, 'card-removed', VPCD_READER_1);
    await client.close();
    await removed;
  });

  it('says "no card" for an empty reader, by name', async () => {
    await expect(service.connect(VPCD_READER_0)).rejects.toMatchObject({ code: 'no-card' });
    await expect(service.connect('No Such Reader')).rejects.toMatchObject({ code: 'no-reader' });
  });
});
