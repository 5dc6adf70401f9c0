// Round trips per second, client plus VirtualAuthenticator with its crypto, over in-memory CTAPHID reports.

import { createHash } from 'node:crypto';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { VirtualAuthenticator } from '../../src/ctap/virtual/index.js';
import { stats, throughput, type BenchResult } from '../harness.js';

export async function run(): Promise<BenchResult[]> {
  const key = new VirtualAuthenticator();
  const ctap2 = await Ctap2.create(await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' }));
  const clientDataHash = createHash('sha256').update('bench').digest();
  const rp = { id: 'latchkey.localhost', name: 'Latchkey' };
  const att = await ctap2.makeCredential({
    clientDataHash,
    rp,
    user: { id: new Uint8Array(16), name: 'bench' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  });
  const allowList = [{ type: 'public-key', id: att.authData.attestedCredentialData!.credentialId }];

  const info = await throughput(() => ctap2.getInfo());
  const assertion = await throughput(() => ctap2.getAssertion({ rpId: rp.id, clientDataHash, allowList }));
  const registration = await throughput(
    () =>
      ctap2.makeCredential({
        clientDataHash,
        rp,
        user: { id: new Uint8Array(16), name: 'bench' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      }),
    { seconds: 1 },
  );
  return [
    {
      name: 'getInfo round trips, client + virtual key (in-memory CTAPHID)',
      unit: 'ops/s',
      value: Math.round(info.perSecond),
      stats: stats(info.samplesUs, 'us'),
    },
    {
      name: 'getAssertion round trips (ES256 signature), client + virtual key',
      unit: 'ops/s',
      value: Math.round(assertion.perSecond),
      stats: stats(assertion.samplesUs, 'us'),
    },
    {
      name: 'makeCredential round trips (P-256 keygen + packed attestation), client + virtual key',
      unit: 'ops/s',
      value: Math.round(registration.perSecond),
      stats: stats(registration.samplesUs, 'us'),
    },
  ];
}
