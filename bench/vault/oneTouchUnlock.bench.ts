// One touch signs in and unlocks: the key-alone sign-in assertion carrying the vault's prf request, the relying party's
// verification (with its durable write), and the key slot's unwrap, against the virtual key: milliseconds outside it.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientPin, Ctap2, CtapHidDevice } from '../../src/ctap/index.js';
import { VirtualAuthenticator } from '../../src/ctap/virtual/index.js';
import { WebAuthnClient } from '../../src/ctap/webauthn/WebAuthnClient.js';
import { RelyingParty } from '../../src/main/rp/index.js';
import { keyOutputOf, slotRequestOptions, withSlotPrf } from '../../src/main/services/vault/vaultKeyOutputs.js';
import { HybridLogicalClock } from '../../src/main/vault/clock/HybridLogicalClock.js';
import { createVault } from '../../src/main/vault/slots/createVault.js';
import { lockVault } from '../../src/main/vault/slots/lockVault.js';
import { newFido2Salt } from '../../src/main/vault/slots/makeSlot.js';
import { keyRequests, unlock } from '../../src/main/vault/slots/unlock.js';
import { goal, stats, summarize, type BenchResult } from '../harness.js';

const ROUNDS = 300;
const PIN = '1234';

export async function run(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-bench-unlock-'));
  try {
    // scrypt runs at sign-up only; lowered (with its floor) so the set-up is quick. Nothing timed below uses it.
    const fast = { n: 1024, r: 8, p: 1 };
    const rp = await RelyingParty.open({ dataDir, env: {}, scrypt: fast, minScrypt: fast });
    const key = new VirtualAuthenticator({ profile: 'yubikey5' });
    const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
    await new ClientPin(await Ctap2.create(device)).setPin(PIN);
    let keyNs = 0n;
    const process = key.processCtap2.bind(key);
    key.processCtap2 = async (request, opts) => {
      const start = globalThis.process.hrtime.bigint();
      try {
        return await process(request, opts);
      } finally {
        keyNs += globalThis.process.hrtime.bigint() - start;
      }
    };
    const settings = rp.settings();
    const client = new WebAuthnClient({
      origin: settings.rp_origin,
      rpId: settings.rp_id,
      ui: { requestPin: async () => PIN },
      devices: async () => [device],
    });
    const { user } = await rp.signUp({ email: 'owner@example.com', password: 'correct horse battery staple' });
    const record = await rp.finishKeyRegistration({
      response: await client.create(await rp.startKeyRegistration({ userId: user.id })),
    });
    await rp.setSignInMode({ userId: user.id, mode: 'key-only' });
    // The key's slot, made as registration makes it: its output for a fresh salt, with UV (a key alone verifies).
    const salt = newFido2Salt();
    const credentialId = Buffer.from(record.id, 'base64url');
    const first = keyOutputOf(await client.get(slotRequestOptions({ credentialId, salt, uv: true }, settings.rp_id)));
    if (!first) throw new Error('the virtual key gave no prf output');
    const clock = new HybridLogicalClock({ device: 'bench' });
    const made = await createVault({
      mode: 'key-only',
      slots: [{ type: 'fido2-hmac-secret', key: first, salt }],
      clock,
    });
    const body = made.body;
    lockVault(made);
    const slots = keyRequests(body);

    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      keyNs = 0n;
      const t0 = globalThis.process.hrtime.bigint();
      const request = await rp.startPasswordlessSignIn({ email: user.email });
      const response = await client.get(withSlotPrf(request, slots));
      await rp.finishKeySignIn({ response });
      const output = keyOutputOf(response);
      if (!output) throw new Error('the sign-in assertion carried no prf output');
      const vault = await unlock(body, { keys: [output] });
      output.output.fill(0);
      lockVault(vault);
      samples.push(Number(globalThis.process.hrtime.bigint() - t0 - keyNs) / 1e6);
    }
    await device.close();
    const s = summarize(samples.slice(20));
    const r = (n: number): number => Math.round(n * 100) / 100;
    return [
      {
        name: 'one-touch sign-in and vault unlock outside the key (assertion with prf, verify, slot unwrap)',
        unit: 'ms (median)',
        value: r(s.median),
        goal: goal('<', 10, s.median),
        stats: stats(s, 'ms'),
        detail: { p90: r(s.p90), rounds: s.count, meanMeetsGoal: s.mean < 10 ? 'yes' : 'NO' },
      },
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
