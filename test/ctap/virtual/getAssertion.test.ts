import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CborMap } from '../../../src/ctap/cbor/index.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { AuthDataFlag, Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import type { PresenceRequest } from '../../../src/ctap/virtual/index.js';
import {
  EDDSA,
  RP_ID,
  ctap2,
  fastKey,
  getAssertionParams,
  makeCredential,
  sha256,
  verifySignature,
} from './support.js';

function signCount(body: CborMap): number {
  return parseAuthenticatorData(body.get(2) as Uint8Array).signCount;
}

describe('getAssertion with an allowList', () => {
  it('signs authData || clientDataHash with the listed non-discoverable credential', async () => {
    const key = fastKey();
    const made = await makeCredential(key);
    const clientDataHash = sha256('login');
    const answer = await ctap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ allowList: [Uint8Array.of(1, 2), made.id], clientDataHash }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
    const body = answer.body!;
    expect([...body.keys()]).toEqual([1, 2, 3]); // no user for a non-discoverable credential, no numberOfCredentials
    expect(body.get(1)).toEqual(
      new Map<string, unknown>([
        ['id', made.id],
        ['type', 'public-key'],
      ]),
    );
    const authData = body.get(2) as Uint8Array;
    expect(authData.length).toBe(37);
    expect(authData.subarray(0, 32)).toEqual(sha256(RP_ID));
    expect(authData[32]).toBe(AuthDataFlag.UP);
    expect(signCount(body)).toBe(2);
    expect(verifySignature(made.publicKey, authData, clientDataHash, body.get(3) as Uint8Array)).toBe(true);
  });

  it('signs with EdDSA credentials too', async () => {
    const key = fastKey();
    const made = await makeCredential(key, { algs: [EDDSA] });
    const answer = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id] }));
    const body = answer.body!;
    expect(
      verifySignature(made.publicKey, body.get(2) as Uint8Array, sha256('login challenge'), body.get(3) as Uint8Array),
    ).toBe(true);
  });

  it('returns the user id of a listed discoverable credential', async () => {
    const key = fastKey();
    const made = await makeCredential(key, { rk: true, userId: Uint8Array.of(7, 7) });
    const body = (await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id] }))).body!;
    expect(body.get(4)).toEqual(new Map([['id', Uint8Array.of(7, 7)]]));
    expect(body.has(5)).toBe(false);
  });

  it('answers CTAP2_ERR_NO_CREDENTIALS at once, without a touch, for IDs of another RP or another key', async () => {
    const key = fastKey();
    const otherRp = await makeCredential(key, { rpId: 'example.org' });
    const otherKey = await makeCredential(fastKey());
    const requests: PresenceRequest[] = [];
    key.presence = (req) => (requests.push(req), Promise.resolve(true));
    const answer = await ctap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ allowList: [otherRp.id, otherKey.id] }),
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    expect(requests).toEqual([]);
  });

  it('makes a silent assertion with up:false: no touch asked, UP flag clear', async () => {
    const key = fastKey();
    const made = await makeCredential(key);
    const requests: PresenceRequest[] = [];
    key.presence = (req) => (requests.push(req), Promise.resolve(true));
    const body = (
      await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id], options: { up: false } }))
    ).body!;
    const authData = body.get(2) as Uint8Array;
    expect(authData[32]).toBe(0);
    expect(requests).toEqual([]);
    expect(verifySignature(made.publicKey, authData, sha256('login challenge'), body.get(3) as Uint8Array)).toBe(true);
  });

  it('asks for a touch with the RP id and answers OPERATION_DENIED when refused', async () => {
    const key = fastKey();
    const made = await makeCredential(key);
    const requests: PresenceRequest[] = [];
    key.presence = (req) => (requests.push(req), Promise.resolve(false));
    const answer = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [made.id] }));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    expect(requests[0]).toMatchObject({ command: 'getAssertion', rpId: RP_ID });
  });

  it('refuses the rk option with UNSUPPORTED_OPTION and uv:true with INVALID_OPTION', async () => {
    const key = fastKey();
    const made = await makeCredential(key);
    const rk = await ctap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ allowList: [made.id], options: { rk: false } }),
    );
    expect(rk.status).toBe(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    const uv = await ctap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ allowList: [made.id], options: { uv: true } }),
    );
    expect(uv.status).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
  });

  it('refuses an allowList longer than maxCredentialCountInList with CTAP2_ERR_LIMIT_EXCEEDED', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => Uint8Array.of(i));
    const answer = await ctap2(fastKey(), Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: ids }));
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED);
  });
});

describe('getAssertion of discoverable credentials', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function keyWithThreeAccounts() {
    const key = fastKey();
    for (const n of [1, 2, 3]) await makeCredential(key, { rk: true, userId: Uint8Array.of(n) });
    await makeCredential(key, { rk: true, rpId: 'example.org', userId: Uint8Array.of(9) });
    return key;
  }

  it('returns the most recent first with numberOfCredentials, then the others through getNextAssertion', async () => {
    const key = await keyWithThreeAccounts();
    const first = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    expect(first.body!.get(5)).toBe(3);
    const users = [first.body!.get(4)];
    const counts = [signCount(first.body!)];
    for (let i = 0; i < 2; i++) {
      const next = await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION);
      expect(next.status).toBe(CtapStatus.CTAP2_OK);
      expect(next.body!.has(5)).toBe(false);
      expect(next.body!.get(2) as Uint8Array).toSatisfy((a: Uint8Array) => a[32] === AuthDataFlag.UP);
      users.push(next.body!.get(4));
      counts.push(signCount(next.body!));
    }
    // Without user verification only the user id is returned, never name or displayName.
    expect(users).toEqual([3, 2, 1].map((n) => new Map([['id', Uint8Array.of(n)]])));
    expect(counts).toEqual([counts[0], counts[0]! + 1, counts[0]! + 2]);
    const exhausted = await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION);
    expect(exhausted.status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  });

  it('leaves out numberOfCredentials for a single discoverable credential, and treats an empty allowList as absent', async () => {
    const key = fastKey();
    await makeCredential(key, { rk: true });
    const answer = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [] }));
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
    expect(answer.body!.has(5)).toBe(false);
    expect(answer.body!.get(4)).toEqual(new Map([['id', Uint8Array.of(1, 2, 3, 4)]]));
  });

  it('answers CTAP2_ERR_NO_CREDENTIALS when the RP has no discoverable credential', async () => {
    const key = fastKey();
    await makeCredential(key); // non-discoverable: not found without an allowList
    const answer = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  });

  it('refuses getNextAssertion without a getAssertion before it', async () => {
    const answer = await ctap2(fastKey(), Ctap2Cmd.GET_NEXT_ASSERTION);
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  });

  it('refuses getNextAssertion after any other command in between', async () => {
    const key = await keyWithThreeAccounts();
    await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    await ctap2(key, Ctap2Cmd.GET_INFO);
    expect((await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION)).status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  });

  it('refuses getNextAssertion more than 30 seconds after the previous assertion', async () => {
    const key = await keyWithThreeAccounts();
    vi.useFakeTimers({ toFake: ['Date'] });
    await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    vi.setSystemTime(Date.now() + 29_000);
    expect((await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION)).status).toBe(CtapStatus.CTAP2_OK);
    vi.setSystemTime(Date.now() + 29_000); // the window restarts with each answer
    expect((await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION)).status).toBe(CtapStatus.CTAP2_OK);

    await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    vi.setSystemTime(Date.now() + 30_001);
    expect((await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION)).status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  });

  it('forgets a pending getNextAssertion on reboot', async () => {
    const key = await keyWithThreeAccounts();
    await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams());
    key.reboot();
    expect((await ctap2(key, Ctap2Cmd.GET_NEXT_ASSERTION)).status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  });
});

describe('signature counter', () => {
  it('increments once per signature across credentials, and rollbackSignCounter lowers it for clone-detection tests', async () => {
    const key = fastKey();
    const a = await makeCredential(key); // 1
    const b = await makeCredential(key); // 2
    const assertA = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [a.id] }));
    const assertB = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [b.id] }));
    expect([signCount(assertA.body!), signCount(assertB.body!)]).toEqual([3, 4]);
    key.rollbackSignCounter(3);
    const rolledBack = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [a.id] }));
    expect(signCount(rolledBack.body!)).toBe(2);
    key.rollbackSignCounter(100);
    expect(key.toJSON().signCount).toBe(0);
    expect(() => key.rollbackSignCounter(-1)).toThrow(RangeError);
  });
});
