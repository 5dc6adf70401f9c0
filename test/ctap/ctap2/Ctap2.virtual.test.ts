// The whole client stack (CtapHidDevice + Ctap2) against the VirtualAuthenticator over in-memory CTAPHID reports.
import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { MAX_MESSAGE_SIZE } from '../../../src/ctap/hid/constants.js';
import { KeepaliveStatus } from '../../../src/ctap/transport.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import { coseToPublicKey } from '../../../src/ctap/cose/coseKey.js';
import { concatBytes } from '../../../src/ctap/bytes.js';
import { ClientError, CtapError, TransportError, toClientError } from '../../../src/ctap/errors.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';

const RP = { id: 'latchkey.localhost', name: 'Latchkey' };
const cdh = (label: string): Uint8Array => createHash('sha256').update(label).digest();

async function connect(key: VirtualAuthenticator) {
  const device = await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' });
  return { device, ctap2: await Ctap2.create(device) };
}

function user(n: number) {
  return { id: Uint8Array.of(n, n, n, n), name: `user${n}@example.com`, displayName: `User ${n}` };
}

async function register(ctap2: Ctap2, n: number, opts: { rk?: boolean; alg?: number } = {}) {
  return ctap2.makeCredential({
    clientDataHash: cdh(`create ${n}`),
    rp: RP,
    user: user(n),
    pubKeyCredParams: [{ type: 'public-key', alg: opts.alg ?? -7 }],
    options: opts.rk ? { rk: true } : undefined,
  });
}

describe('client against the VirtualAuthenticator', () => {
  it('reads getInfo from the profile', async () => {
    const { device, ctap2 } = await connect(new VirtualAuthenticator({ profile: 'yubikey5' }));
    expect(ctap2.info.versions).toContain('FIDO_2_1');
    expect(ctap2.info.maxMsgSize).toBeGreaterThanOrEqual(1024);
    expect(ctap2.info.algorithms?.map((a) => a.alg)).toEqual(expect.arrayContaining([-7, -8]));
    expect(device.capabilities.cbor).toBe(true);
  });

  it.each([57, 58, 116, 117, 1000, MAX_MESSAGE_SIZE])(
    'echoes a PING of %i bytes through fragmentation both ways',
    async (size) => {
      const { device } = await connect(new VirtualAuthenticator());
      const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
      await expect(device.ping(data)).resolves.toBeUndefined();
    },
  );

  it('winks, and locks the key to its channel so another application meets CHANNEL_BUSY until released', async () => {
    const key = new VirtualAuthenticator();
    const a = await connect(key);
    const b = await CtapHidDevice.open(key.hidConnection());
    await a.device.wink();
    await a.device.lock(2);
    await expect(b.ping(Uint8Array.of(1), { timeoutMs: 300 })).rejects.toMatchObject({ code: 'busy' });
    await a.device.lock(0);
    await expect(b.ping(Uint8Array.of(1))).resolves.toBeUndefined();
    await expect(a.device.lock(11)).rejects.toThrow(RangeError);
  });

  it('refuses a PING of 7610 bytes before sending it', async () => {
    const { device } = await connect(new VirtualAuthenticator());
    await expect(device.ping(new Uint8Array(MAX_MESSAGE_SIZE + 1))).rejects.toMatchObject({ code: 'too-large' });
    await expect(device.ping(Uint8Array.of(1))).resolves.toBeUndefined();
  });

  it.each([
    [-7, 'ES256'],
    [-8, 'EdDSA'],
  ])('makes a %s credential (%s) with a packed self attestation that verifies', async (alg) => {
    const { ctap2 } = await connect(new VirtualAuthenticator());
    const att = await register(ctap2, 1, { alg });
    expect(att.fmt).toBe('packed');
    expect(att.authData.rpIdHash).toEqual(new Uint8Array(createHash('sha256').update(RP.id).digest()));
    expect(att.authData.flags.up && att.authData.flags.at).toBe(true);
    const acd = att.authData.attestedCredentialData!;
    expect(acd.aaguid).toEqual(ctap2.info.aaguid);
    expect(att.attStmt.get('alg')).toBe(alg);
    expect(att.attStmt.has('x5c')).toBe(false);
    const key = coseToPublicKey(acd.publicKey);
    const signed = concatBytes(att.authData.raw, cdh('create 1'));
    expect(verify(alg === -7 ? 'sha256' : null, signed, key, att.attStmt.get('sig') as Uint8Array)).toBe(true);
  });

  it('asserts with an allowList, signs verifiably and increments the counter', async () => {
    const { ctap2 } = await connect(new VirtualAuthenticator());
    const att = await register(ctap2, 1);
    const acd = att.authData.attestedCredentialData!;
    const first = await ctap2.getAssertion({
      rpId: RP.id,
      clientDataHash: cdh('get'),
      allowList: [{ type: 'public-key', id: acd.credentialId }],
    });
    const second = await ctap2.getAssertion({
      rpId: RP.id,
      clientDataHash: cdh('get'),
      allowList: [{ type: 'public-key', id: acd.credentialId }],
    });
    expect(first.credential.id).toEqual(acd.credentialId);
    expect(second.authData.signCount).toBeGreaterThan(first.authData.signCount);
    expect(
      verify('sha256', concatBytes(first.authData.raw, cdh('get')), coseToPublicKey(acd.publicKey), first.signature),
    ).toBe(true);
  });

  it('lists discoverable credentials with getAssertion then getNextAssertion, newest first', async () => {
    const { ctap2 } = await connect(new VirtualAuthenticator());
    await register(ctap2, 1, { rk: true });
    await register(ctap2, 2, { rk: true });
    await register(ctap2, 3, { rk: true });
    const all = await ctap2.getAssertions({ rpId: RP.id, clientDataHash: cdh('login') });
    expect(all[0]!.numberOfCredentials).toBe(3);
    expect(all.map((a) => a.user?.id[0])).toEqual([3, 2, 1]);
    await expect(ctap2.getNextAssertion()).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_NOT_ALLOWED });
  });

  it('answers an excluded credential with CREDENTIAL_EXCLUDED after a touch', async () => {
    let touches = 0;
    const key = new VirtualAuthenticator({ presence: async () => (touches++, true) });
    const { ctap2 } = await connect(key);
    const att = await register(ctap2, 1);
    const before = touches;
    const error = await ctap2
      .makeCredential({
        clientDataHash: cdh('again'),
        rp: RP,
        user: user(1),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        excludeList: [{ type: 'public-key', id: att.authData.attestedCredentialData!.credentialId }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED });
    expect(touches).toBe(before + 1);
    expect(toClientError(error).reason).toBe('credential-excluded');
  });

  it('makes a silent (up:false) assertion without asking for a touch', async () => {
    let asked = 0;
    const key = new VirtualAuthenticator({ presence: async () => (asked++, true) });
    const { ctap2 } = await connect(key);
    const id = (await register(ctap2, 1)).authData.attestedCredentialData!.credentialId;
    asked = 0;
    const a = await ctap2.getAssertion({
      rpId: RP.id,
      clientDataHash: cdh('x'),
      allowList: [{ type: 'public-key', id }],
      options: { up: false },
    });
    expect(asked).toBe(0);
    expect(a.authData.flags.up).toBe(false);
  });

  it('reports UPNEEDED once per change and completes after approval', async () => {
    let approve: (v: boolean) => void = () => {};
    const { ctap2 } = await connect(
      new VirtualAuthenticator({ presence: () => new Promise((r) => (approve = r)), keepaliveIntervalMs: 20 }),
    );
    const statuses: number[] = [];
    setTimeout(() => approve(true), 150);
    const att = await ctap2.makeCredential(
      { clientDataHash: cdh('y'), rp: RP, user: user(2), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] },
      { onKeepalive: (s) => statuses.push(s) },
    );
    expect(att.fmt).toBe('packed');
    expect(statuses.filter((s) => s === KeepaliveStatus.UPNEEDED)).toHaveLength(1);
  });

  it('cancels while the key waits for a touch, and the next request works', async () => {
    const { ctap2 } = await connect(
      new VirtualAuthenticator({ presence: () => new Promise(() => {}), keepaliveIntervalMs: 20 }),
    );
    const controller = new AbortController();
    const statuses: number[] = [];
    const pending = ctap2.selection({
      signal: controller.signal,
      onKeepalive: (s) => {
        statuses.push(s);
        if (s === KeepaliveStatus.UPNEEDED) controller.abort();
      },
    });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(toClientError(error).reason).toBe('cancelled');
    await expect(ctap2.getInfo()).resolves.toMatchObject({ versions: expect.arrayContaining(['FIDO_2_1']) });
  });

  it('times out when the key stops answering between keepalives', async () => {
    const key = new VirtualAuthenticator({ presence: () => new Promise(() => {}), keepaliveIntervalMs: 1_000 });
    const { ctap2 } = await connect(key);
    const error = await ctap2.selection({ timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(toClientError(error).reason).toBe('timeout');
  });

  it('retries while another application holds the key (CHANNEL_BUSY) and gets through when it is done', async () => {
    let approve: (v: boolean) => void = () => {};
    const key = new VirtualAuthenticator({
      presence: () => new Promise((r) => (approve = r)),
      keepaliveIntervalMs: 20,
    });
    const a = await connect(key);
    const b = await CtapHidDevice.open(key.hidConnection());
    const busy = a.ctap2.selection();
    await new Promise((r) => setTimeout(r, 50));
    setTimeout(() => approve(true), 250);
    const started = Date.now();
    await b.ping(Uint8Array.of(42), { timeoutMs: 3_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await busy;
  });

  it('ignores the other application\u2019s frames on a shared pipe', async () => {
    const key = new VirtualAuthenticator();
    const a = await connect(key);
    const b = await connect(key);
    const [x, y] = await Promise.all([a.device.ping(Uint8Array.of(1)), b.ctap2.getInfo()]);
    expect(x).toBeUndefined();
    expect(y.versions.length).toBeGreaterThan(0);
  });

  it('maps a denied touch to OPERATION_DENIED and a not-allowed client reason', async () => {
    const { ctap2 } = await connect(new VirtualAuthenticator({ presence: async () => false }));
    const error = await register(ctap2, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).statusName).toBe('CTAP2_ERR_OPERATION_DENIED');
    expect(toClientError(error)).toBeInstanceOf(ClientError);
  });

  it('resets within the window after power-up and forgets credentials; refuses later', async () => {
    const key = new VirtualAuthenticator({ resetWindowMs: 10_000 });
    const { ctap2 } = await connect(key);
    await register(ctap2, 1, { rk: true });
    await ctap2.reset();
    await expect(ctap2.getAssertion({ rpId: RP.id, clientDataHash: cdh('z') })).rejects.toMatchObject({
      status: CtapStatus.CTAP2_ERR_NO_CREDENTIALS,
    });
    const late = new VirtualAuthenticator({ resetWindowMs: 20 });
    const lateClient = await connect(late);
    await new Promise((r) => setTimeout(r, 40));
    await expect(lateClient.ctap2.reset()).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_NOT_ALLOWED });
  });

  it('keeps credentials across a restart through its JSON state', async () => {
    const key = new VirtualAuthenticator();
    const first = await connect(key);
    const id = (await register(first.ctap2, 7)).authData.attestedCredentialData!.credentialId;
    await register(first.ctap2, 8, { rk: true });
    const restored = new VirtualAuthenticator({ state: JSON.parse(JSON.stringify(key.toJSON())) });
    const { ctap2 } = await connect(restored);
    const a = await ctap2.getAssertion({
      rpId: RP.id,
      clientDataHash: cdh('after'),
      allowList: [{ type: 'public-key', id }],
    });
    expect(a.credential.id).toEqual(id);
    const rk = await ctap2.getAssertion({ rpId: RP.id, clientDataHash: cdh('after') });
    expect(rk.user?.id).toEqual(user(8).id);
  });

  it('lowers the sign counter on request so clone detection can be tested', async () => {
    const key = new VirtualAuthenticator();
    const { ctap2 } = await connect(key);
    const id = (await register(ctap2, 1)).authData.attestedCredentialData!.credentialId;
    const get = () =>
      ctap2.getAssertion({ rpId: RP.id, clientDataHash: cdh('c'), allowList: [{ type: 'public-key', id }] });
    await get();
    const high = (await get()).authData.signCount;
    key.rollbackSignCounter(2);
    expect((await get()).authData.signCount).toBeLessThan(high);
  });
});
