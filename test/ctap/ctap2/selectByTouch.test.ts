import { describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import { selectByTouch } from '../../../src/ctap/ctap2/selectByTouch.js';
import { VirtualAuthenticator, type PresenceHandler } from '../../../src/ctap/virtual/index.js';
import type { AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';

const never: PresenceHandler = (req) =>
  new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted'))));
const after =
  (ms: number): PresenceHandler =>
  () =>
    new Promise((r) => setTimeout(() => r(true), ms));

async function keyWith(presence: PresenceHandler) {
  const key = new VirtualAuthenticator({ presence, keepaliveIntervalMs: 20 });
  return Ctap2.create(await CtapHidDevice.open(key.hidConnection(), { transport: 'virtual' }));
}

/** The same key seen as a CTAP 2.0 one, so the zero-length pinUvAuthParam probe is used instead of authenticatorSelection. */
function asCtap20(ctap2: Ctap2): Promise<Ctap2> {
  const info: AuthenticatorInfo = { ...ctap2.info, versions: ['U2F_V2', 'FIDO_2_0'] };
  return Ctap2.create(ctap2.device, { info });
}

describe('selectByTouch', () => {
  it('returns the key touched first and cancels the others, which stay usable', async () => {
    const keys = [await keyWith(never), await keyWith(after(60)), await keyWith(never)];
    expect(await selectByTouch(keys)).toBe(1);
    for (const k of keys) await expect(k.getInfo()).resolves.toBeTruthy();
  });

  it('uses the zero-length pinUvAuthParam probe on CTAP 2.0 keys', async () => {
    const keys = [await asCtap20(await keyWith(never)), await asCtap20(await keyWith(after(40)))];
    expect(await selectByTouch(keys)).toBe(1);
  });

  it('rejects with the key\u2019s error when every key refuses', async () => {
    const keys = [await keyWith(async () => false), await keyWith(async () => false)];
    await expect(selectByTouch(keys)).rejects.toMatchObject({ statusName: 'CTAP2_ERR_OPERATION_DENIED' });
  });

  it('stops waiting on every key when the caller cancels', async () => {
    const keys = [await keyWith(never), await keyWith(never)];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(selectByTouch(keys, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(keys[0]!.getInfo()).resolves.toBeTruthy();
  });
});
