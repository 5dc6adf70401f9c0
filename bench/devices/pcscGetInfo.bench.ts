// getInfo round trips over real PC/SC (pcscd + vpcd + the virtual card), through our stack and through python-fido2, same card, same run.

import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapNfcDevice, type CtapNfcDeviceOptions } from '../../src/ctap/nfc/CtapNfcDevice.js';
import { PcscService } from '../../src/main/devices/pcsc/PcscService.js';
import { VPCD_PORTS } from '../../src/main/devices/vpcd/vpcdProtocol.js';
import { VPCD_READER_0, nextEvent, vpcdReaders } from '../../test/integration/pcsc/pcscEvents.js';
import { acquirePcscd } from '../../test/support/pcscd.js';
import { goal, stats, summarize, type BenchResult, type Samples } from '../harness.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PYTHON_CLIENT = fileURLToPath(new URL('./python_fido2_getinfo.py', import.meta.url));
const RELAY = fileURLToPath(new URL('./quickack_relay.py', import.meta.url));
const LATCHKEY = fileURLToPath(new URL('../../bin/latchkey.js', import.meta.url));
/** getInfo calls per batch; batches alternate between the two clients, so a slow phase of the machine hits both alike. */
const BATCH = 10;
const BATCHES = { direct: 10, relayed: 50 };

interface Comparison {
  ours: Samples;
  /** The APDU form our stack chose by itself ('auto': from the card's ATR). */
  oursForm: string;
  python: Samples;
  samplesEach: number;
}

/**
 * Two links between vpcd and the card. Direct: vpcd writes every message as two TCP segments and Nagle waits for the
 * card's delayed ACK, ~40 ms per APDU whoever the client is, which drowns the clients' own cost. Relayed: through
 * quickack_relay.py, which acknowledges at once; what is left is pcscd, the card and the client. The goal is judged there.
 */
export async function run(): Promise<BenchResult[]> {
  const pcscd = await acquirePcscd();
  if (pcscd.skipReason !== undefined) {
    console.log(`devices/pcscGetInfo: SKIPPED, pcscd is unavailable: ${pcscd.skipReason}`);
    return [];
  }
  const service = new PcscService();
  try {
    await service.start();
    await vpcdReaders(service);
    const direct = await withCard(service, VPCD_PORTS[0], () => compare(service, BATCHES.direct));
    const relay = await startRelay(VPCD_PORTS[0]);
    let relayed: Comparison;
    let short: Samples;
    try {
      relayed = await withCard(service, relay.port, async () => {
        const comparison = await compare(service, BATCHES.relayed);
        short = summarize(await oursGetInfo(service, BATCH * BATCHES.relayed, { extendedApdu: false }));
        return comparison;
      });
    } finally {
      relay.process.kill();
    }
    return [
      {
        name: 'getInfo round trip over pcscd + vpcd (quick-ACK link), our stack',
        unit: 'ms (median)',
        value: round2(relayed.ours.median),
        goal: goal('<=', round2(relayed.python.median), round2(relayed.ours.median)),
        stats: stats(relayed.ours, 'ms'),
        detail: {
          apduForm: relayed.oursForm,
          p90: round2(relayed.ours.p90),
          pythonFido2Median: round2(relayed.python.median),
          samplesEach: relayed.samplesEach,
        },
      },
      {
        name: 'getInfo round trip over pcscd + vpcd (quick-ACK link), python-fido2 0.9, same card and run',
        unit: 'ms (median)',
        value: round2(relayed.python.median),
        stats: stats(relayed.python, 'ms'),
        detail: { p90: round2(relayed.python.p90) },
      },
      {
        name: 'getInfo round trip over pcscd + vpcd (direct link: ~40 ms Nagle/delayed-ACK stall per APDU), our stack',
        unit: 'ms (median)',
        value: round2(direct.ours.median),
        goal: goal('<=', round2(direct.python.median), round2(direct.ours.median)),
        stats: stats(direct.ours, 'ms'),
        detail: {
          apduForm: direct.oursForm,
          p90: round2(direct.ours.p90),
          pythonFido2Median: round2(direct.python.median),
          pythonFido2P90: round2(direct.python.p90),
          samplesEach: direct.samplesEach,
        },
      },
      {
        // python-fido2 sends short APDUs unless told otherwise; this is our stack made to do the same, for the record.
        name: 'getInfo round trip over pcscd + vpcd (quick-ACK link), our stack forced to chained short APDUs (two APDUs: MSG + GET RESPONSE)',
        unit: 'ms (median)',
        value: round2(short!.median),
        stats: stats(short!, 'ms'),
        detail: { p90: round2(short!.p90) },
      },
    ];
  } finally {
    await service.stop();
    await pcscd.release();
  }
}

/**
 * `latchkey virtual-card` (a YubiKey 5 NFC: U2F_V2 on SELECT, as the real one) on reader 00 00, reached through `port`.
 * It runs in its own process, so neither client shares an event loop or a core with the card.
 */
async function withCard<T>(service: PcscService, port: number, use: () => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
  const inserted = nextEvent(service, 'card-inserted', VPCD_READER_0, 20_000);
  const card = spawn(
    process.execPath,
    [LATCHKEY, 'virtual-card', '--state', join(dir, 'key.json'), '--port', String(port)],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => card.once('exit', () => resolve()));
  try {
    await Promise.race([inserted, exited.then(() => Promise.reject(new Error('latchkey virtual-card exited early')))]);
    return await use();
  } finally {
    const removed = nextEvent(service, 'card-removed', VPCD_READER_0, 5_000);
    card.kill('SIGTERM');
    await exited;
    await removed.catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Alternates small batches of our client and python-fido2 on the same card, so both meet the same machine load. */
async function compare(service: PcscService, batches: number): Promise<Comparison> {
  const python = await PythonClient.start();
  const device = await CtapNfcDevice.open(await service.connect(VPCD_READER_0));
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    const ctap2 = await Ctap2.create(device);
    for (let i = 0; i < 2; i++) await ctap2.getInfo();
    for (let batch = 0; batch < batches; batch++) {
      ours.push(...(await timeGetInfo(ctap2, BATCH)));
      theirs.push(...(await python.getInfo(BATCH)));
    }
  } finally {
    await device.close();
    await python.stop();
  }
  return { ours: summarize(ours), oursForm: device.apduForm, python: summarize(theirs), samplesEach: ours.length };
}

async function timeGetInfo(ctap2: Ctap2, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await ctap2.getInfo();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Our client alone, e.g. with short APDUs forced. */
async function oursGetInfo(service: PcscService, count: number, opts: CtapNfcDeviceOptions = {}): Promise<number[]> {
  const device = await CtapNfcDevice.open(await service.connect(VPCD_READER_0), opts);
  try {
    const ctap2 = await Ctap2.create(device);
    for (let i = 0; i < 2; i++) await ctap2.getInfo();
    return await timeGetInfo(ctap2, count);
  } finally {
    await device.close();
  }
}

/** python_fido2_getinfo.py kept running, timing batches on request. */
class PythonClient {
  private lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        this.lines.push(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
      this.deliver();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static async start(): Promise<PythonClient> {
    const client = new PythonClient(spawn(PYTHON, [PYTHON_CLIENT, VPCD_READER_0]));
    const first = await client.nextLine();
    if (first !== 'ready')
      throw new Error(
        `python-fido2 (${PYTHON} with fido2 and pyscard) did not start: ${first} ${client.stderr.trim()}`,
      );
    return client;
  }

  async getInfo(count: number): Promise<number[]> {
    this.child.stdin.write(`${count}\n`);
    return (JSON.parse(await this.nextLine()) as { samplesMs: number[] }).samplesMs;
  }

  /** Ends the client and waits for it: pyscard powers the card down when it disconnects, which must not hit our next connection. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }

  private nextLine(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`python-fido2 stopped answering: ${this.stderr.trim()}`)),
        60_000,
      );
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.deliver();
    });
  }

  private deliver(): void {
    const line = this.waiting && this.lines.shift();
    if (line === undefined || !this.waiting) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting(line);
  }
}

function startRelay(vpcdPort: number): Promise<{ port: number; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [RELAY, String(vpcdPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`quickack_relay.py exited (${code}): ${stderr.trim()}`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const port = Number(/^ready (\d+)/.exec(chunk.toString())?.[1]);
      if (Number.isInteger(port)) resolve({ port, process: child });
      else reject(new Error(`quickack_relay.py said ${JSON.stringify(chunk.toString())}, expected "ready PORT"`));
    });
  });
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
