// CPU cost of USB hotplug polling: the real node-hid backend listed every 500 ms (the default), measured with process.cpuUsage.

import { HidWatcher } from '../../src/main/devices/hid/HidWatcher.js';
import { nodeHidBackend, type HidBackend } from '../../src/main/devices/hid/backend.js';
import { stats, type BenchResult } from '../harness.js';

/** Length of each measured window; LATCHKEY_BENCH_HID_SECONDS makes them longer for a steadier figure. */
const WINDOW_S = Number(process.env.LATCHKEY_BENCH_HID_SECONDS ?? 5);
/** Idle and polling windows alternate, so leftovers of earlier suites (GC, threads winding down) hit both alike. */
const PAIRS = 3;

export async function run(): Promise<BenchResult[]> {
  let backend: HidBackend;
  try {
    backend = await nodeHidBackend();
  } catch (error) {
    console.log(`devices/hidPollingCpu: SKIPPED, node-hid cannot load here: ${(error as Error).message}`);
    return [];
  }
  const devices = (await backend.devicesAsync()).length;
  let polls = 0;
  const counting: HidBackend = {
    devicesAsync: () => {
      polls++;
      return backend.devicesAsync();
    },
    open: (path) => backend.open(path),
  };
  await sleep(1_000);
  const idle: number[] = [];
  const polling: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    idle.push(await cpuOver(WINDOW_S, async () => undefined));
    const watcher = new HidWatcher(counting);
    polling.push(
      await cpuOver(
        WINDOW_S,
        () => watcher.start(),
        () => watcher.stop(),
      ),
    );
  }
  const perMinute = (us: number): number => (us / 1_000) * (60 / WINDOW_S);
  const idleMs = perMinute(median(idle));
  const pollingMs = perMinute(median(polling));
  const costMs = Math.max(0, pollingMs - idleMs);
  const pollsPerMinute = (polls * 60) / (WINDOW_S * PAIRS);
  return [
    {
      name: 'USB hotplug polling (node-hid devicesAsync every 500 ms), CPU time per minute',
      unit: 'ms CPU / min',
      value: round1(costMs),
      // One sample per idle/polling pair: the polling window's CPU minus the idle window's, per minute.
      stats: stats(
        polling.map((p, i) => Math.max(0, perMinute(p) - perMinute(idle[i]!))),
        'ms CPU / min',
      ),
      detail: {
        share: `${((costMs / 60_000) * 100).toFixed(3)}% of one core`,
        perPollUs: Math.round((costMs * 1_000) / pollsPerMinute),
        pollsPerMinute: Math.round(pollsPerMinute),
        pollingWindowMsPerMinute: round1(pollingMs),
        idleWindowMsPerMinute: round1(idleMs),
        windows: `${PAIRS} x ${WINDOW_S} s each`,
        hidDevicesListed: devices,
      },
    },
  ];
}

/** CPU microseconds (user + system, all threads of this process) spent during a window of `seconds`. */
async function cpuOver(
  seconds: number,
  begin: () => Promise<void>,
  end: () => void = () => undefined,
): Promise<number> {
  const before = process.cpuUsage();
  await begin();
  await sleep(seconds * 1_000);
  end();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
