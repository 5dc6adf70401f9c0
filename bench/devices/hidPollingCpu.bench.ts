// CPU cost of USB hotplug polling: the real node-hid backend listed every 500 ms (the default), measured with process.cpuUsage.

import { HidWatcher } from '../../src/main/devices/hid/HidWatcher.js';
import { nodeHidBackend, type HidBackend } from '../../src/main/devices/hid/backend.js';
import type { BenchResult } from '../harness.js';

/** Length of each measured window; LATCHKEY_BENCH_HID_SECONDS makes it longer for a steadier figure. */
const WINDOW_S = Number(process.env.LATCHKEY_BENCH_HID_SECONDS ?? 15);

export async function run(): Promise<BenchResult[]> {
  let backend: HidBackend;
  try {
    backend = await nodeHidBackend();
  } catch (error) {
    console.log(`devices/hidPollingCpu: SKIPPED, node-hid cannot load here: ${(error as Error).message}`);
    return [];
  }
  const devices = (await backend.devicesAsync()).length;
  // The same window without polling: what the process costs anyway (timers, GC), subtracted below.
  const idle = await cpuOver(WINDOW_S, async () => undefined);
  let polls = 0;
  const counting: HidBackend = {
    devicesAsync: () => {
      polls++;
      return backend.devicesAsync();
    },
    open: (path) => backend.open(path),
  };
  const watcher = new HidWatcher(counting);
  const polling = await cpuOver(WINDOW_S, () => watcher.start(), () => watcher.stop());
  const perMinuteMs = ((polling - idle) / 1_000) * (60 / WINDOW_S);
  return [
    {
      name: 'USB hotplug polling (node-hid devicesAsync every 500 ms), CPU time per minute',
      unit: 'ms CPU / min',
      value: Math.round(Math.max(0, perMinuteMs) * 10) / 10,
      detail: {
        share: `${((Math.max(0, perMinuteMs) / 60_000) * 100).toFixed(3)}% of one core`,
        pollsPerMinute: Math.round((polls * 60) / WINDOW_S),
        windowSeconds: WINDOW_S,
        hidDevicesListed: devices,
        idleMsPerMinute: Math.round((idle / 1_000) * (60 / WINDOW_S) * 10) / 10,
      },
    },
  ];
}

/** CPU microseconds (user + system, all threads of this process) spent during a window of `seconds`. */
async function cpuOver(seconds: number, begin: () => Promise<void>, end: () => void = () => undefined): Promise<number> {
  const before = process.cpuUsage();
  await begin();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  end();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}
