// Time from a card connecting to vpcd to the PcscService card-inserted event and to the DeviceManager added event (goal < 500 ms).

import { VirtualNfcCard } from '../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { VirtualAuthenticator } from '../../src/ctap/virtual/VirtualAuthenticator.js';
import type { DeviceInfo } from '../../src/main/devices/DeviceInfo.js';
import { DeviceManager } from '../../src/main/devices/DeviceManager.js';
import { PcscService } from '../../src/main/devices/pcsc/PcscService.js';
import { VpcdClient } from '../../src/main/devices/vpcd/VpcdClient.js';
import { VPCD_PORTS } from '../../src/main/devices/vpcd/vpcdProtocol.js';
import { VPCD_READER_0, nextEvent, vpcdReaders } from '../../test/integration/pcsc/pcscEvents.js';
import { acquirePcscd } from '../../test/support/pcscd.js';
import { goal, stats, summarize, type BenchResult } from '../harness.js';

const TAPS = 12;
/** pcscd looks at vpcd's card slot every 400 ms; taps spread over that period so the figure is not one lucky phase. */
const POLL_PERIOD_MS = 400;

export async function run(): Promise<BenchResult[]> {
  const pcscd = await acquirePcscd();
  if (pcscd.skipReason !== undefined) {
    console.log(`devices/cardEventLatency: SKIPPED, pcscd is unavailable: ${pcscd.skipReason}`);
    return [];
  }
  const service = new PcscService();
  const manager = new DeviceManager({ hid: false });
  try {
    await service.start();
    await vpcdReaders(service);
    await manager.start();
    const inserted: number[] = [];
    const added: number[] = [];
    for (let i = 0; i < TAPS; i++) {
      await sleep(((i * POLL_PERIOD_MS) / TAPS) % POLL_PERIOD_MS);
      const seen = nextEvent(service, 'card-inserted', VPCD_READER_0, 3_000).then(() => performance.now());
      const listed = addedEvent(manager, `nfc:${VPCD_READER_0}`).then(() => performance.now());
      const start = performance.now();
      const card = await VpcdClient.connect(new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' }), {
        port: VPCD_PORTS[0],
      });
      inserted.push((await seen) - start);
      added.push((await listed) - start);
      const removed = nextEvent(service, 'card-removed', VPCD_READER_0, 3_000);
      await card.close();
      await removed;
      await manager.settled();
    }
    const s = summarize(inserted);
    const a = summarize(added);
    const reading = summarize(added.map((t, i) => t - inserted[i]!));
    return [
      {
        name: 'card connected to vpcd -> DeviceManager added event (SELECT + getInfo read)',
        unit: 'ms (median)',
        value: Math.round(a.median),
        goal: goal('<', 500, Math.round(a.median)),
        stats: stats(a, 'ms'),
        detail: {
          p90: Math.round(a.p90),
          max: Math.round(Math.max(...added)),
          min: Math.round(Math.min(...added)),
          taps: TAPS,
        },
      },
      {
        name: 'card connected to vpcd -> PcscService card-inserted event (pcscd polls vpcd every 400 ms)',
        unit: 'ms (median)',
        value: Math.round(s.median),
        stats: stats(s, 'ms'),
        detail: {
          p90: Math.round(s.p90),
          max: Math.round(Math.max(...inserted)),
          min: Math.round(Math.min(...inserted)),
        },
      },
      {
        name: 'our part: card-inserted -> added (connect, SELECT, getInfo over vpcd)',
        unit: 'ms (median)',
        value: Math.round(reading.median),
        stats: stats(reading, 'ms'),
        detail: { p90: Math.round(reading.p90) },
      },
    ];
  } finally {
    await manager.stop();
    await service.stop();
    await pcscd.release();
  }
}

function addedEvent(manager: DeviceManager, id: string): Promise<DeviceInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      manager.off('added', listener);
      reject(new Error(`no added event for ${id} within 3 s`));
    }, 3_000);
    const listener = (device: DeviceInfo): void => {
      if (device.id !== id) return;
      clearTimeout(timer);
      manager.off('added', listener);
      resolve(device);
    };
    manager.on('added', listener);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
