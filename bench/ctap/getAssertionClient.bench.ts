// Client-side cost of one getAssertion (framing, CBOR, parsing) against a connection that replays a recorded YubiKey answer.

import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { writeCid } from '../../src/ctap/hid/frame.js';
import { ReplayConnection } from '../replayConnection.js';
import { recordedReports, RECORDED_CID } from '../../test/support/wiredata.js';
import { goal, sampleAsync, type BenchResult } from '../harness.js';

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
  const conn = new ReplayConnection((_cmd, ctap2Cmd) => answers.get(ctap2Cmd)!, recordedReports('WIREDATA_CTAP_INIT')[0]!);
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
