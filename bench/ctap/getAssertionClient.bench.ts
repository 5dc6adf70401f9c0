// Client-side cost of one getAssertion (framing, CBOR, parsing) against a connection that replays a recorded YubiKey answer.

import { cpus } from 'node:os';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { writeCid } from '../../src/ctap/hid/frame.js';
import { ReplayConnection } from '../replayConnection.js';
import { recordedReports, RECORDED_CID } from '../../test/support/wiredata.js';
import { goal, round, sampleAsync, stats, type BenchResult } from '../harness.js';

/** Five rounds of 40 000 calls: enough that the means of separate runs agree to a few tenths of a microsecond on a quiet machine. */
const ROUNDS = 5;
const PER_ROUND = 40_000;

export async function run(): Promise<BenchResult[]> {
  const onChannel = (name: string): Uint8Array[] =>
    recordedReports(name).map((r) => {
      const c = r.slice();
      writeCid(c, RECORDED_CID);
      return c;
    });
  const answers = new Map([
    [0x04, onChannel('WIREDATA_CTAP_CBOR_INFO')],
    [0x02, onChannel('WIREDATA_CTAP_CBOR_ASSERT')],
  ]);
  const conn = new ReplayConnection(
    (_cmd, ctap2Cmd) => answers.get(ctap2Cmd)!,
    recordedReports('WIREDATA_CTAP_INIT')[0]!,
  );
  const ctap2 = await Ctap2.create(await CtapHidDevice.open(conn));
  const params = {
    rpId: 'localhost',
    clientDataHash: new Uint8Array(32).fill(7),
    allowList: [{ type: 'public-key', id: new Uint8Array(64).fill(1) }],
  };
  const s = await sampleAsync(() => ctap2.getAssertion(params), { warmup: 20_000, samples: PER_ROUND, rounds: ROUNDS });
  return [
    {
      name: 'getAssertion client-side cost (recorded YubiKey answer, 4 HID reports)',
      unit: 'us/op (mean)',
      value: round(s.mean),
      goal: goal('<=', 10, s.mean),
      stats: stats(s, 'us'),
      detail: {
        roundMeans: s.roundMeans.map(round).join(' '),
        cpuUsPerOp: round(s.cpuUsPerOp),
        gcPer1000Ops: round((s.gcCount * 1_000) / s.count),
        gcUsPerOp: round(s.gcUsPerOp),
        heapBytesPerOp: Math.round(s.heapBytesPerOp),
        loadAverage: `${round(s.loadBefore)} -> ${round(s.loadAfter)} on ${cpus().length} cores`,
      },
    },
  ];
}
