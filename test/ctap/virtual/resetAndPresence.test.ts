import { describe, expect, it } from 'vitest';
import { Ctap2Cmd, GetInfoKey } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { KeepaliveStatus } from '../../../src/ctap/transport.js';
import type { PresenceRequest } from '../../../src/ctap/virtual/index.js';
import {
  ctap2,
  delay,
  fastKey,
  getAssertionParams,
  makeCredential,
  makeCredentialParams,
  neverTouch,
} from './support.js';

describe('reset', () => {
  it('wipes every credential and rotates the device secret after a touch within the window', async () => {
    const key = fastKey();
    const wrapped = await makeCredential(key);
    await makeCredential(key, { rk: true });
    const secretBefore = key.toJSON().masterSecret;
    const requests: PresenceRequest[] = [];
    key.presence = (req) => (requests.push(req), Promise.resolve(true));

    const answer = await ctap2(key, Ctap2Cmd.RESET);
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
    expect(answer.body).toBeUndefined();
    expect(requests.map((r) => r.command)).toEqual(['reset']);
    expect(key.toJSON().credentials).toEqual([]);
    expect(key.toJSON().masterSecret).not.toBe(secretBefore);
    // A wrapped credential ID from before the reset no longer opens under the new secret.
    const old = await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams({ allowList: [wrapped.id] }));
    expect(old.status).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    expect((await ctap2(key, Ctap2Cmd.GET_ASSERTION, getAssertionParams())).status).toBe(
      CtapStatus.CTAP2_ERR_NO_CREDENTIALS,
    );
    expect((await ctap2(key, Ctap2Cmd.GET_INFO)).body!.get(GetInfoKey.remainingDiscoverableCredentials)).toBe(25);
  });

  it('answers CTAP2_ERR_NOT_ALLOWED, without asking for a touch, once the window after power-up has passed; reboot() reopens it', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ resetWindowMs: 40, presence: (req) => (requests.push(req), Promise.resolve(true)) });
    await delay(60);
    expect((await ctap2(key, Ctap2Cmd.RESET)).status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    expect(requests).toEqual([]);
    key.reboot();
    expect((await ctap2(key, Ctap2Cmd.RESET)).status).toBe(CtapStatus.CTAP2_OK);
  });

  it('keeps the credentials when the touch is refused (OPERATION_DENIED) or never comes (USER_ACTION_TIMEOUT)', async () => {
    const key = fastKey({ userActionTimeoutMs: 40 });
    await makeCredential(key, { rk: true });
    key.presence = () => Promise.resolve(false);
    expect((await ctap2(key, Ctap2Cmd.RESET)).status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    key.presence = neverTouch;
    expect((await ctap2(key, Ctap2Cmd.RESET)).status).toBe(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
    expect(key.toJSON().credentials).toHaveLength(1);
  });
});

describe('selection', () => {
  it('answers CTAP2_OK with no body after a touch', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ presence: (req) => (requests.push(req), Promise.resolve(true)) });
    const answer = await ctap2(key, Ctap2Cmd.SELECTION);
    expect(answer).toMatchObject({ status: CtapStatus.CTAP2_OK, body: undefined });
    expect(requests[0]).toMatchObject({ command: 'selection' });
    expect(requests[0]!.rpId).toBeUndefined();
  });

  it('answers OPERATION_DENIED when the user refuses, also as { approve: false }', async () => {
    for (const answer of [false, { approve: false }] as const) {
      const key = fastKey({ presence: () => Promise.resolve(answer) });
      expect((await ctap2(key, Ctap2Cmd.SELECTION)).status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    }
  });

  it('accepts { approve: true, finger } as a touch', async () => {
    const key = fastKey({ presence: () => Promise.resolve({ approve: true, finger: 'right index' }) });
    expect((await ctap2(key, Ctap2Cmd.SELECTION)).status).toBe(CtapStatus.CTAP2_OK);
  });
});

describe('waiting for a touch', () => {
  it('sends UPNEEDED keepalives until userActionTimeoutMs, then answers CTAP2_ERR_USER_ACTION_TIMEOUT and withdraws the prompt', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({
      keepaliveIntervalMs: 10,
      userActionTimeoutMs: 120,
      presence: (req) => (requests.push(req), neverTouch()),
    });
    const started = Date.now();
    const answer = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams());
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(answer.keepalives.length).toBeGreaterThanOrEqual(5);
    expect(new Set(answer.keepalives)).toEqual(new Set([KeepaliveStatus.UPNEEDED]));
    expect(requests[0]!.signal.aborted).toBe(true);
  });

  it('answers CTAP2_ERR_KEEPALIVE_CANCEL when the request signal aborts, and the prompt\u2019s signal aborts too', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ presence: (req) => (requests.push(req), neverTouch()) });
    const cancel = new AbortController();
    const pending = ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams(), cancel.signal);
    await delay(20);
    expect(requests[0]!.signal.aborted).toBe(false);
    cancel.abort();
    expect((await pending).status).toBe(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    expect(requests[0]!.signal.aborted).toBe(true);
  });

  it('answers KEEPALIVE_CANCEL at once for a request already cancelled when the touch would be asked', async () => {
    const requests: PresenceRequest[] = [];
    const key = fastKey({ presence: (req) => (requests.push(req), Promise.resolve(true)) });
    const cancel = new AbortController();
    cancel.abort();
    expect((await ctap2(key, Ctap2Cmd.SELECTION, undefined, cancel.signal)).status).toBe(
      CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL,
    );
    expect(requests).toEqual([]);
  });

  it('runs requests one at a time: a second waits until the first has its touch', async () => {
    let touch: (answer: boolean) => void = () => undefined;
    const key = fastKey({ presence: () => new Promise((resolve) => (touch = resolve)) });
    const order: string[] = [];
    const first = ctap2(key, Ctap2Cmd.SELECTION).then(() => order.push('selection'));
    const second = ctap2(key, Ctap2Cmd.GET_INFO).then(() => order.push('getInfo'));
    await delay(30);
    expect(order).toEqual([]);
    touch(true);
    await Promise.all([first, second]);
    expect(order).toEqual(['selection', 'getInfo']);
  });

  it('uses the presence handler set on the instance for the next touch', async () => {
    const key = fastKey();
    key.presence = () => Promise.resolve(false);
    expect((await ctap2(key, Ctap2Cmd.SELECTION)).status).toBe(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    key.presence = () => Promise.resolve(true);
    expect((await ctap2(key, Ctap2Cmd.SELECTION)).status).toBe(CtapStatus.CTAP2_OK);
  });
});
