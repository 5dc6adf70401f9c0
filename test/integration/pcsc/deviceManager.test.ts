// The DeviceManager on a real pcscd with vpcd: virtual cards tapped on and taken off a reader become added / removed keys.

import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import type { DeviceInfo } from '../../../src/main/devices/DeviceInfo.js';
import { DeviceManager } from '../../../src/main/devices/DeviceManager.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient, type VirtualCard } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { acquirePcscd } from '../../support/pcscd.js';
import {
  EVENT_DEADLINE_MS,
  VPCD_READER_0,
  VPCD_READER_1,
  cardGone,
  usePcscTimeouts,
  vpcdReaders,
} from './pcscEvents.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';

/** Resolves with the next `event` of the manager for `id`; rejects after `timeoutMs`. */
function managerEvent(
  manager: DeviceManager,
  event: 'added' | 'removed',
  id: string,
  timeoutMs = EVENT_DEADLINE_MS,
): Promise<DeviceInfo> {
  return new Promise((resolve, reject) => {
    const listener = (device: DeviceInfo): void => {
      if (device.id !== id) return;
      clearTimeout(timer);
      manager.off(event, listener);
      resolve(device);
    };
    const timer = setTimeout(() => {
      manager.off(event, listener);
      reject(new Error(`no ${event} event for ${id} within ${timeoutMs} ms`));
    }, timeoutMs);
    manager.on(event, listener);
  });
}

/** Resolves when the manager notes (debug) a line that starts with `start`; rejects after `timeoutMs`. */
function managerNote(
  notes: EventEmitter<{ debug: [message: string] }>,
  start: string,
  timeoutMs = EVENT_DEADLINE_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (message: string): void => {
      if (!message.startsWith(start)) return;
      clearTimeout(timer);
      notes.off('debug', listener);
      resolve();
    };
    const timer = setTimeout(() => {
      notes.off('debug', listener);
      reject(new Error(`the device manager did not note "${start}..." within ${timeoutMs} ms`));
    }, timeoutMs);
    notes.on('debug', listener);
  });
}

describe.skipIf(pcscd.skipReason !== undefined)('DeviceManager on pcscd + vpcd', () => {
  // The manager's debug notes, to see it pass over a card it does not list (nothing else tells of a card skipped).
  const notes = new EventEmitter<{ debug: [message: string] }>();
  const manager = new DeviceManager({
    hid: false,
    logger: { debug: (m) => notes.emit('debug', m), warn: () => undefined },
  });
  // A second, independent view of the readers, to know when pcscd itself has seen a card.
  const service = new PcscService();
  const cards: VpcdClient[] = [];

  beforeAll(async () => {
    await service.start();
    await vpcdReaders(service);
    await manager.start();
  });
  afterEach(async () => {
    for (const card of cards.splice(0)) {
      const removed = cardGone(service, card.port === VPCD_PORTS[0] ? VPCD_READER_0 : VPCD_READER_1);
      await card.close();
      await removed;
    }
  });
  afterAll(async () => {
    await manager.stop();
    await service.stop();
  });

  async function tap(card: VirtualCard, port: number): Promise<VpcdClient> {
    const client = await VpcdClient.connect(card, { port });
    cards.push(client);
    return client;
  }

  it('says NFC is available', () => {
    expect(manager.transports()).toContainEqual({ transport: 'nfc', state: 'available' });
  });

  it('lists a key once its card connects, with its name and AAGUID, opens it, and drops it once it leaves (times logged; bench/devices measures them)', async () => {
    const id = `nfc:${VPCD_READER_0}`;
    const added = managerEvent(manager, 'added', id);
    const connectedAt = Date.now();
    const client = await tap(
      new VirtualNfcCard(new VirtualAuthenticator({ profile: 'yubikey5' }), { profile: 'fido2-u2f' }),
      VPCD_PORTS[0],
    );
    const device = await added;
    const appearMs = Date.now() - connectedAt;
    expect(device).toMatchObject({
      id,
      transport: 'nfc',
      reader: VPCD_READER_0,
      // The ATR says it is Latchkey's own virtual card, so it is not passed off as a real YubiKey.
      name: 'Latchkey virtual card (YubiKey 5 Series)',
      aaguid: YUBIKEY5_AAGUID,
      model: 'YubiKey 5 Series',
    });
    expect(device.versions).toEqual(expect.arrayContaining(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1']));
    expect(manager.list()).toContainEqual(device);

    const opened = await manager.open(id);
    expect(opened.device.transport).toBe('nfc');
    expect((await opened.ctap2!.getInfo()).versions).toEqual(device.versions);
    await opened.device.close();

    const removed = managerEvent(manager, 'removed', id);
    const leftAt = Date.now();
    await client.close();
    expect((await removed).id).toBe(id);
    const goneMs = Date.now() - leftAt;
    expect(manager.get(id)).toBeUndefined();
    console.info(
      `DeviceManager: NFC key added ${appearMs} ms after the card connected, removed ${goneMs} ms after it left`,
    );
  });

  it('passes over a card without the FIDO applet quietly', async () => {
    const bankCard: VirtualCard = { transmit: async () => Uint8Array.of(0x6a, 0x82) };
    const skipped = managerNote(notes, `The card on "${VPCD_READER_1}" has no FIDO applet`);
    const added: DeviceInfo[] = [];
    const onAdded = (d: DeviceInfo): number => added.push(d);
    manager.on('added', onAdded);
    await tap(bankCard, VPCD_PORTS[1]);
    // The manager read the card and decided: nothing may have been listed, then or since.
    await skipped;
    await manager.settled();
    manager.off('added', onAdded);
    expect(added).toEqual([]);
    expect(manager.get(`nfc:${VPCD_READER_1}`)).toBeUndefined();
  });

  it('lets the user pick one of two keys by touch', async () => {
    const id0 = `nfc:${VPCD_READER_0}`;
    const id1 = `nfc:${VPCD_READER_1}`;
    const both = Promise.all([managerEvent(manager, 'added', id0), managerEvent(manager, 'added', id1)]);
    // Key 0 is never touched; key 1 is touched after 200 ms.
    const untouched = new VirtualAuthenticator({
      presence: (req) =>
        new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('withdrawn')))),
    });
    const touched = new VirtualAuthenticator({ presence: () => new Promise((r) => setTimeout(() => r(true), 200)) });
    await tap(new VirtualNfcCard(untouched), VPCD_PORTS[0]);
    await tap(new VirtualNfcCard(touched), VPCD_PORTS[1]);
    await both;
    const chosen = await manager.selectByTouch([id0, id1]);
    expect(chosen.info.id).toBe(id1);
    await chosen.device.close();
    // The other key was cancelled: it answers at once.
    const other = await manager.open(id0);
    await expect(other.ctap2!.getInfo()).resolves.toBeTruthy();
    await other.device.close();
  });
});
