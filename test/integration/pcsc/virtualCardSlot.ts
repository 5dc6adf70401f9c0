// One vpcd reader slot for a test file: put a virtual card on reader 00 00, get its PC/SC connection, and clean up after each test.

import { afterEach } from 'vitest';
import type { PcscCardConnection } from '../../../src/main/devices/pcsc/PcscCardConnection.js';
import type { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient, type VirtualCard } from '../../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../../src/main/devices/vpcd/vpcdProtocol.js';
import { VPCD_READER_0, cardGone, nextEvent } from './pcscEvents.js';

export interface VirtualCardSlot {
  /** Connects `card` to vpcd, waits until pcscd reports it, and returns a PC/SC connection to it. */
  insert(card: VirtualCard): Promise<PcscCardConnection>;
  /** Closes `device` after the test, before the card leaves. */
  keep<T extends { close(): Promise<void> }>(device: T): T;
  /** Pulls the card out now (mid-operation); the test does not wait for pcscd to notice. */
  pull(): Promise<void>;
}

export function useVirtualCardSlot(service: PcscService): VirtualCardSlot {
  let vpcd: VpcdClient | undefined;
  let device: { close(): Promise<void> } | undefined;

  afterEach(async () => {
    await device?.close();
    device = undefined;
    const removed = vpcd ? cardGone(service, VPCD_READER_0) : undefined;
    await vpcd?.close();
    await removed;
    vpcd = undefined;
  });

  return {
    async insert(card) {
      const inserted = nextEvent(service, 'card-inserted', VPCD_READER_0);
      vpcd = await VpcdClient.connect(card, { port: VPCD_PORTS[0] });
      await inserted;
      return service.connect(VPCD_READER_0);
    },
    keep(d) {
      device = d;
      return d;
    },
    pull() {
      const pulled = vpcd;
      vpcd = undefined;
      return pulled ? pulled.close() : Promise.resolve();
    },
  };
}
