// Waiting on PcscService events in integration tests, with deadlines that name what did not happen.
//
// Every wait here is for an event, with a deadline generous enough for a loaded machine (pcscd's vpcd driver and our own
// event loop both slow down when other work takes the CPU). How fast cards are seen is measured in bench/devices,
// not asserted in tests: a latency claim that fails under load says nothing about correctness.

import { vi } from 'vitest';
import type { PcscService, PcscServiceEvents } from '../../../src/main/devices/pcsc/PcscService.js';

export const VPCD_READER_0 = 'Virtual PCD 00 00';
export const VPCD_READER_1 = 'Virtual PCD 00 01';

/** How long a test waits for pcscd to report a reader or card change before it fails, naming the change. */
export const EVENT_DEADLINE_MS = 30_000;
/** Tests and hooks may wait for a few events in turn: they get room for that, so the deadline above fails first. */
export const PCSC_TEST_TIMEOUT_MS = 120_000;

/** Gives this test file's tests and hooks PCSC_TEST_TIMEOUT_MS (the config's 20 s is meant for unit tests). */
export function usePcscTimeouts(): void {
  vi.setConfig({ testTimeout: PCSC_TEST_TIMEOUT_MS, hookTimeout: PCSC_TEST_TIMEOUT_MS });
}

type ReaderEvent = 'reader-added' | 'card-inserted' | 'card-removed';

/** Resolves when `event` fires for `reader`; rejects after `timeoutMs`. Start it before the action that causes the event. */
export function nextEvent(
  service: PcscService,
  event: ReaderEvent,
  reader: string,
  timeoutMs = EVENT_DEADLINE_MS,
): Promise<void> {
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
export function cardGone(service: PcscService, reader: string, timeoutMs = EVENT_DEADLINE_MS): Promise<void> {
  const present = service.readers().some((r) => r.name === reader && r.cardPresent);
  return present ? nextEvent(service, 'card-removed', reader, timeoutMs) : Promise.resolve();
}

/** Waits until both vpcd readers are listed, as they are as soon as pcscd has started: at once, or on reader-added. */
export function vpcdReaders(service: PcscService, timeoutMs = EVENT_DEADLINE_MS): Promise<void> {
  const wanted = [VPCD_READER_0, VPCD_READER_1];
  const listed = (): boolean => wanted.every((name) => service.readers().some((r) => r.name === name));
  if (listed()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listener = (): void => {
      if (!listed()) return;
      clearTimeout(timer);
      service.off('reader-added', listener);
      resolve();
    };
    const timer = setTimeout(() => {
      service.off('reader-added', listener);
      reject(
        new Error(`vpcd readers did not appear within ${timeoutMs} ms; readers: ${JSON.stringify(service.readers())}`),
      );
    }, timeoutMs);
    service.on('reader-added', listener);
  });
}
