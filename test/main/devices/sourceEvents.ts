// Recording and awaiting the events of a DeviceSource in unit tests.

import type { DeviceSource, DeviceSourceEvents } from '../../../src/main/devices/DeviceSource.js';

export type SourceEvent = {
  [E in keyof DeviceSourceEvents]: { event: E; value: DeviceSourceEvents[E][0] };
}[keyof DeviceSourceEvents];

/** Records every event of `source` in order. */
export function recordSource(source: DeviceSource): SourceEvent[] {
  const events: SourceEvent[] = [];
  source.on('added', (value) => events.push({ event: 'added', value }));
  source.on('removed', (value) => events.push({ event: 'removed', value }));
  source.on('changed', (value) => events.push({ event: 'changed', value }));
  source.on('status', (value) => events.push({ event: 'status', value }));
  return events;
}

/** Resolves with the next `event` of `source`; rejects after `timeoutMs` (generous: this waits for an event, not a time). */
export function nextSourceEvent<E extends keyof DeviceSourceEvents>(
  source: DeviceSource,
  event: E,
  timeoutMs = 10_000,
): Promise<DeviceSourceEvents[E][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    source.once(event, ((value: DeviceSourceEvents[E][0]) => {
      clearTimeout(timer);
      resolve(value);
    }) as never);
  });
}
