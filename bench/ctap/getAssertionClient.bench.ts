// Client-side cost of one getAssertion (framing, CBOR, parsing) against a connection that replays a recorded YubiKey answer.

import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { CtapHidCmd } from '../../src/ctap/hid/constants.js';
import { isInitFrame, readCid, writeCid } from '../../src/ctap/hid/frame.js';
import type { HidConnection } from '../../src/ctap/transport.js';
import { recordedReports, RECORDED_CID } from '../../test/support/wiredata.js';
import { goal, sampleAsync, type BenchResult } from '../harness.js';

/** Answers each complete request at once with pre-recorded reports; as little work as a connection can do. */
class ReplayConnection implements HidConnection {
  private queue: Uint8Array[] = [];
  private remaining = 0;

  constructor(private readonly answers: Map<number, Uint8Array[]>) {}

  async write(report: Uint8Array): Promise<void> {
    if (isInitFrame(report)) {
      const cmd = report[4]! & 0x7f;
      const length = (report[5]! << 8) | report[6]!;
      this.remaining = Math.max(0, Math.ceil((length - 57) / 59));
      if (cmd === CtapHidCmd.INIT) {
        const init = recordedReports('WIREDATA_CTAP_INIT')[0]!.slice();
        init.set(report.subarray(7, 15), 7);
        this.queue.push(init);
        return;
      }
      this.pending = report[7]!;
    } else this.remaining--;
    if (this.remaining === 0 && readCid(report) !== 0xffffffff) this.queue.push(...this.answers.get(this.pending)!);
  }

  private pending = 0;

  async read(): Promise<Uint8Array> {
    return this.queue.shift()!;
  }

  async close(): Promise<void> {}
}

export async function run(): Promise<BenchResult[]> {
  const onChannel = (name: string): Uint8Array[] =>
    recordedReports(name).map((r) => {
      const c = r.slice();
      writeCid(c, RECORDED_CID);
      return c;
    });
  const conn = new ReplayConnection(
    new Map([
      [0x04, onChannel('WIREDATA_CTAP_CBOR_INFO')],
      [0x02, onChannel('WIREDATA_CTAP_CBOR_ASSERT')],
    ]),
  );
  const ctap2 = await Ctap2.create(await CtapHidDevice.open(conn));
  const params = {
    rpId: 'localhost',
    clientDataHash: new Uint8Array(32).fill(7),
    allowList: [{ type: 'public-key', id: new Uint8Array(64).fill(1) }],
  };
  const s = await sampleAsync(() => ctap2.getAssertion(params));
  return [
    {
      name: 'getAssertion client-side cost (recorded YubiKey answer, 4 HID reports)',
      unit: 'us/op (median)',
      value: round(s.median),
      goal: goal('<=', 15, s.median),
      detail: { p90: round(s.p90), p99: round(s.p99), mean: round(s.mean), samples: s.count },
    },
  ];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
