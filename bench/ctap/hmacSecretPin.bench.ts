// getAssertion with hmac-secret and a PIN token against the virtual key in memory: round trips, the client-side share, and time to get a token.

import { createHash } from 'node:crypto';
import { ClientPin } from '../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { extensionMap } from '../../src/ctap/ctap2/extensions/extension.js';
import {
  hmacSecretCreateInput,
  hmacSecretGetInput,
  parseHmacSecretOutput,
} from '../../src/ctap/ctap2/extensions/hmacSecret.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { VirtualAuthenticator } from '../../src/ctap/virtual/index.js';
import type { Encapsulation } from '../../src/ctap/ctap2/pinUvAuthProtocol.js';
import type { HidConnection } from '../../src/ctap/transport.js';
import { ReplayConnection } from '../replayConnection.js';
import { goal, stats, summarize, type BenchResult } from '../harness.js';

const PIN = '246810';
const ROUNDS = 2_000;

export async function run(): Promise<BenchResult[]> {
  const key = new VirtualAuthenticator({ profile: 'yubikey5' });
  // Time spent inside the key (its CTAP2 processing and crypto) is subtracted to get the client's share.
  let deviceNs = 0n;
  const process = key.processCtap2.bind(key);
  key.processCtap2 = async (request, opts) => {
    const start = globalThis.process.hrtime.bigint();
    try {
      return await process(request, opts);
    } finally {
      deviceNs += globalThis.process.hrtime.bigint() - start;
    }
  };

  const ctap2 = await Ctap2.create(await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' }));
  const clientPin = new ClientPin(ctap2);
  await clientPin.setPin(PIN);
  const rp = { id: 'latchkey.localhost', name: 'Latchkey' };
  const clientDataHash = createHash('sha256').update('bench').digest();
  const mcToken = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.mc, rpId: rp.id });
  const att = await ctap2.makeCredential({
    clientDataHash,
    rp,
    user: { id: new Uint8Array(16), name: 'bench' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    extensions: extensionMap(hmacSecretCreateInput()),
    pinUvAuthToken: mcToken,
  });
  mcToken.dispose();
  const allowList = [{ type: 'public-key', id: att.authData.attestedCredentialData!.credentialId }];
  // The key keeps its key-agreement key until power-up, so one shared secret serves every hmac-secret request.
  const encapsulation = await clientPin.getSharedSecret();
  const salt1 = createHash('sha256').update('vault salt').digest();

  const tokenUs: number[] = [];
  const assertionUs: number[] = [];
  const clientUs: number[] = [];
  let first: string | undefined;
  for (let i = 0; i < ROUNDS + 200; i++) {
    // CTAP 2.1 clears a token's permissions after one assertion with user presence: each round needs a new token.
    let t0 = globalThis.process.hrtime.bigint();
    const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.ga, rpId: rp.id });
    const tokenTime = Number(globalThis.process.hrtime.bigint() - t0) / 1_000;

    deviceNs = 0n;
    t0 = globalThis.process.hrtime.bigint();
    const assertion = await ctap2.getAssertion({
      rpId: rp.id,
      clientDataHash,
      allowList,
      extensions: extensionMap(hmacSecretGetInput({ protocol: clientPin.protocol, encapsulation, salt1 })),
      pinUvAuthToken: token,
    });
    const output = parseHmacSecretOutput(assertion.authData.extensions, {
      protocol: clientPin.protocol,
      encapsulation,
      saltCount: 1,
    });
    const total = globalThis.process.hrtime.bigint() - t0;
    token.dispose();
    const hex = Buffer.from(output!.output1).toString('hex');
    output!.dispose();
    if (first === undefined) first = hex;
    else if (hex !== first)
      throw new Error(
        `hmac-secret output changed at round ${i} (uv ${assertion.authData.flags.uv}, up ${assertion.authData.flags.up}): the bench is not measuring a working exchange`,
      );
    if (i < 200) continue;
    tokenUs.push(tokenTime);
    assertionUs.push(Number(total) / 1_000);
    clientUs.push(Number(total - deviceNs) / 1_000);
  }
  const replayClientUs = await clientShareByReplay(
    key,
    clientPin,
    rp.id,
    clientDataHash,
    allowList,
    encapsulation,
    salt1,
  );
  encapsulation.dispose();
  const replay = summarize(replayClientUs);
  const assertion = summarize(assertionUs);
  const client = summarize(clientUs);
  const token = summarize(tokenUs);
  const r = (n: number): number => Math.round(n * 100) / 100;
  return [
    {
      name: 'getAssertion with hmac-secret + PIN token, client + virtual key (in memory)',
      unit: 'round trips/s',
      value: Math.round(1_000_000 / assertion.mean),
      stats: stats(assertion, 'us'),
      detail: { medianUs: r(assertion.median), p90Us: r(assertion.p90), rounds: assertion.count },
    },
    {
      name: "client-side share of that getAssertion, replaying the key's recorded answer (framing, CBOR, salt encryption, MACs, output decryption)",
      unit: 'us (median)',
      value: r(replay.median),
      goal: goal('<', 50, replay.median),
      stats: stats(replay, 'us'),
      detail: { p90Us: r(replay.p90), p99Us: r(replay.p99), inMemoryTotalMinusKeyUs: r(client.median) },
    },
    {
      name: 'time to obtain a PIN token (getKeyAgreement + getPinUvAuthTokenUsingPinWithPermissions, both sides)',
      unit: 'us (median)',
      value: r(token.median),
      stats: stats(token, 'us'),
      detail: { p90Us: r(token.p90) },
    },
  ];
}

/**
 * Times only the client: one real getAssertion is recorded off the virtual key's HID reports, then replayed to a fresh
 * client as often as needed. The cached shared secret still decrypts the recorded hmac-secret output for real.
 */
async function clientShareByReplay(
  key: VirtualAuthenticator,
  clientPin: ClientPin,
  rpId: string,
  clientDataHash: Uint8Array,
  allowList: { type: string; id: Uint8Array }[],
  encapsulation: Encapsulation,
  salt1: Uint8Array,
): Promise<number[]> {
  const inner = key.hidConnection();
  const read: Uint8Array[] = [];
  const recording: HidConnection = {
    write: (r) => inner.write(r),
    read: async (t) => {
      const frame = await inner.read(t);
      if (frame) read.push(frame);
      return frame;
    },
    close: () => inner.close(),
  };
  const recorded = await Ctap2.create(await CtapHidDevice.open(recording));
  const initAnswer = read[0]!;
  const token = await new ClientPin(recorded).getPinToken(PIN, { permissions: ClientPin.PERMISSION.ga, rpId });
  const params = () => ({
    rpId,
    clientDataHash,
    allowList,
    extensions: extensionMap(hmacSecretGetInput({ protocol: clientPin.protocol, encapsulation, salt1 })),
    pinUvAuthToken: token,
  });
  read.length = 0;
  const realAnswer = await recorded.getAssertion(params());
  const answerFrames = read.slice();
  const expected = Buffer.from(
    parseHmacSecretOutput(realAnswer.authData.extensions, {
      protocol: clientPin.protocol,
      encapsulation,
      saltCount: 1,
    })!.output1,
  ).toString('hex');

  const replayed = await Ctap2.create(await CtapHidDevice.open(new ReplayConnection(() => answerFrames, initAnswer)), {
    info: recorded.info,
  });
  const samples: number[] = [];
  for (let i = 0; i < 22_000; i++) {
    const t0 = globalThis.process.hrtime.bigint();
    const assertion = await replayed.getAssertion(params());
    const output = parseHmacSecretOutput(assertion.authData.extensions, {
      protocol: clientPin.protocol,
      encapsulation,
      saltCount: 1,
    });
    const elapsed = Number(globalThis.process.hrtime.bigint() - t0) / 1_000;
    if (Buffer.from(output!.output1).toString('hex') !== expected)
      throw new Error('replayed hmac-secret output does not decrypt to the recorded one');
    output!.dispose();
    if (i >= 2_000) samples.push(elapsed);
  }
  token.dispose();
  return samples;
}
