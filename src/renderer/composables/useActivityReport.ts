// Tells the main process the person is here (a key pressed, a pointer down), at most once per interval, for the idle lock.

import { onBeforeUnmount, onMounted } from 'vue';
import { call } from '../services/api';

/** Often enough for an idle lock counted in minutes, rarely enough to cost nothing. */
const INTERVAL_MS = 10_000;

export function useActivityReport(options: { intervalMs?: number } = {}): void {
  const interval = options.intervalMs ?? INTERVAL_MS;
  let lastSent = 0;

  function report(): void {
    const now = Date.now();
    if (now - lastSent < interval) return;
    lastSent = now;
    // A lost report only shortens the idle time: nothing to tell the person.
    void call('app:activity', {}).catch(() => undefined);
  }

  onMounted(() => {
    window.addEventListener('keydown', report, { capture: true, passive: true });
    window.addEventListener('pointerdown', report, { capture: true, passive: true });
  });
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', report, { capture: true });
    window.removeEventListener('pointerdown', report, { capture: true });
  });
}
