// Waiting on PcscService events in integration tests, with deadlines that name what did not happen.

import type { PcscService, PcscServiceEvents } from '../../../src/main/devices/pcsc/PcscService.js';

export const VPCD_READER_0 = 'Virtual PCD 00 00';
export const VPCD_READER_1 = 'Virtual PCD 00 01';

type ReaderEvent = 'reader-added' | 'card-inserted' | 'card-removed';

/** Resolves when `event` fires for `reader`; rejects after `timeoutMs`. Start it before the action that causes the event. */
export function nextEvent(service: PcscService, event: ReaderEvent, reader: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (...[name]: PcscServiceEvents[ReaderEvent]): void => {
      if (name !== reader) return;
      clearTimeout(timer);
      service.off(event, listener);
      resolve();
    };
    const timer = setTimeout(() => {
      service.off(event, listener);
      reject(new Error(`no ${event} for "${reader}" within ${timeoutMs} ms`));
    }, timeoutMs);
    service.on(event, listener);
  });
}

/**
 * Resolves once pcscd shows no card on `reader`: at once if it already shows none (the card may have left
 * earlier, its card-removed long past), else on the next card-removed. Start it before closing the card.
 */
export function cardGone(service: PcscService, reader: string, timeoutMs: number): Promise<void> {
  const present = service.readers().some((r) => r.name === reader && r.cardPresent);
  return present ? nextEvent(service, 'card-removed', reader, timeoutMs) : Promise.resolve();
}

/** Waits until both vpcd readers are listed, as they are as soon as pcscd has started. */
export async function vpcdReaders(service: PcscService, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (![VPCD_READER_0, VPCD_READER_1].every((name) => service.readers().some((r) => r.name === name))) {
    if (Date.now() > deadline) {
      throw new Error(`vpcd readers did not appear within ${timeoutMs} ms; readers: ${JSON.stringify(service.readers())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
