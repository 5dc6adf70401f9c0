import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/ctap/bytes.js';
import { TransportError } from '../../../../src/ctap/errors.js';
import { VirtualNfcCard, type VirtualNfcCardOptions } from '../../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { smartCardConnection } from '../../../../src/ctap/virtual/nfc/smartCardConnection.js';
import type { Ctap2Processor } from '../../../../src/ctap/virtual/nfc/Ctap2Processor.js';
import { FakeAuthenticator } from './fakeAuthenticator.js';

const SELECT = '00a4040008a0000006472f000100';
/** python-fido2 0.9 sends SELECT without Le. */
const SELECT_NO_LE = '00a4040008a0000006472f0001';
const FIDO_2_0 = toHex(new TextEncoder().encode('FIDO_2_0'));
const U2F_V2 = toHex(new TextEncoder().encode('U2F_V2'));

function card(authenticator: Ctap2Processor = new FakeAuthenticator(), opts: VirtualNfcCardOptions = {}) {
  const c = new VirtualNfcCard(authenticator, opts);
  return {
    card: c,
    send: async (hex: string): Promise<string> => toHex(await c.transmit(fromHex(hex))),
  };
}

async function selected(authenticator?: Ctap2Processor, opts?: VirtualNfcCardOptions) {
  const c = card(authenticator, opts);
  expect(await c.send(SELECT)).toMatch(/9000$/);
  return c;
}

describe('VirtualNfcCard SELECT', () => {
  it('answers the FIDO AID with FIDO_2_0 9000, with or without Le', async () => {
    const { send } = card();
    expect(await send(SELECT)).toBe(FIDO_2_0 + '9000');
    expect(await send(SELECT_NO_LE)).toBe(FIDO_2_0 + '9000');
  });

  it.each([
    ['fido2-u2f', U2F_V2],
    ['u2f-only', U2F_V2],
  ] as const)('answers U2F_V2 for the %s profile', async (profile, version) => {
    const { send } = card(new FakeAuthenticator(), { profile });
    expect(await send(SELECT)).toBe(version + '9000');
  });

  it('answers another AID with 6A82 and deselects', async () => {
    const { send } = await selected();
    expect(await send('00a4040007a0000005272101')).toBe('6a82');
    expect(await send('80108000010400')).toBe('6985');
  });

  it('answers SELECT by anything but name with 6A86', async () => {
    expect(await card().send('00a4000c023f00')).toBe('6a86');
  });

  it('refuses CTAP commands before the applet is selected with 6985', async () => {
    expect(await card().send('80108000010400')).toBe('6985');
  });
});

describe('VirtualNfcCard NFCCTAP_MSG', () => {
  it('answers status byte + CBOR with 9000', async () => {
    const auth = new FakeAuthenticator();
    const { send } = await selected(auth);
    expect(await send('80108000010400')).toBe(toHex(auth.getInfoAnswer()) + '9000');
    expect(auth.requests.map(toHex)).toEqual(['04']);
  });

  it('joins a chained request (CLA 90) before handing it to the authenticator', async () => {
    const auth = new FakeAuthenticator();
    const { send } = await selected(auth);
    expect(await send('9010800003' + '40aabb')).toBe('9000');
    expect(await send('9010800002' + 'ccdd')).toBe('9000');
    expect(await send('8010800001' + 'ee' + '00')).toBe('00aabbccddee9000');
    expect(auth.requests.map(toHex)).toEqual(['40aabbccddee']);
  });

  it('hands out an answer longer than Le in 61xx pieces through GET RESPONSE', async () => {
    const { send } = await selected();
    const request = '40' + 'ab'.repeat(599);
    const expected = '00' + 'ab'.repeat(599);
    const first = await send('90108000fa' + request.slice(0, 500));
    expect(first).toBe('9000');
    const second = await send('90108000fa' + request.slice(500, 1000));
    expect(second).toBe('9000');
    const last = await send('8010800064' + request.slice(1000) + '00');
    expect(last.slice(-4)).toBe('6100');
    const piece2 = await send('00c0000000');
    expect(piece2.slice(-4)).toBe('6158');
    const piece3 = await send('00c0000058');
    expect(piece3.slice(-4)).toBe('9000');
    expect(last.slice(0, -4) + piece2.slice(0, -4) + piece3.slice(0, -4)).toBe(expected);
  });

  it('answers a whole long reply at once to an extended APDU', async () => {
    const { send } = await selected();
    const request = '40' + 'cd'.repeat(999);
    const answer = await send('8010800000' + '03e8' + request + '0000');
    expect(answer).toBe('00' + 'cd'.repeat(999) + '9000');
  });

  it('refuses extended APDUs with 6700 when built without them', async () => {
    const { send } = await selected(new FakeAuthenticator(), { extendedApdu: false });
    expect(await send('80108000000001040000')).toBe('6700');
  });

  it('answers 9100 with the keepalive status while a request runs past statusUpdateAfterMs, then the answer on a poll', async () => {
    const auth = new FakeAuthenticator({ delayMs: 250, upNeededAfterMs: 0 });
    const { send } = await selected(auth, { statusUpdateAfterMs: 40 });
    expect(await send('801080000241aa00')).toBe('029100');
    const polls: string[] = [];
    let answer = await send('8011000000');
    while (answer.endsWith('9100')) {
      polls.push(answer);
      answer = await send('8011000000');
    }
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(answer).toBe('00aa9000');
  });

  it('holds the answer until done when the client did not set P1 0x80 (libfido2)', async () => {
    const auth = new FakeAuthenticator({ delayMs: 150 });
    const { send } = await selected(auth, { statusUpdateAfterMs: 20 });
    expect(await send('801000000241aa00')).toBe('00aa9000');
  });

  it('cancels on NFCCTAP_GETRESPONSE with P1 0x11: the request is aborted and the card answers KEEPALIVE_CANCEL', async () => {
    const auth = new FakeAuthenticator({ delayMs: 5_000 });
    const { send } = await selected(auth, { statusUpdateAfterMs: 20 });
    expect(await send('801080000241aa00')).toBe('019100');
    expect(await send('8011110000')).toBe('2d9000');
    expect(auth.cancelled).toBe(1);
    expect(await send('8011000000')).toBe('6985');
  });

  it('answers KEEPALIVE_CANCEL itself when the authenticator rejects on abort or does not stop in time', async () => {
    const stubborn: Ctap2Processor = { processCtap2: () => new Promise(() => undefined) };
    const { send } = await selected(stubborn, { statusUpdateAfterMs: 10, cancelGraceMs: 30 });
    expect(await send('80108000010400')).toBe('019100');
    expect(await send('8011110000')).toBe('2d9000');

    const rejecting: Ctap2Processor = {
      processCtap2: (_req, { signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const second = await selected(rejecting, { statusUpdateAfterMs: 10 });
    expect(await second.send('80108000010400')).toBe('019100');
    expect(await second.send('8011110000')).toBe('2d9000');
  });

  it('answers 6F00 when the authenticator throws', async () => {
    const broken: Ctap2Processor = { processCtap2: () => Promise.reject(new Error('bug')) };
    const { send } = await selected(broken);
    expect(await send('80108000010400')).toBe('6f00');
  });

  it('refuses NFCCTAP_MSG with 6D00 in the u2f-only profile', async () => {
    const { send } = await selected(new FakeAuthenticator(), { profile: 'u2f-only' });
    expect(await send('80108000010400')).toBe('6d00');
  });

  it('aborts a running request on reset (power off, field lost)', async () => {
    const auth = new FakeAuthenticator({ delayMs: 5_000 });
    const { card: c, send } = await selected(auth, { statusUpdateAfterMs: 10 });
    expect(await send('801080000241aa00')).toBe('019100');
    c.reset();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(auth.cancelled).toBe(1);
    expect(await send('8011000000')).toBe('6985');
  });
});

describe('VirtualNfcCard error answers', () => {
  it.each([
    ['an unknown class', 'a0100000', '6e00'],
    ['an unknown instruction', '80200000', '6d00'],
    ['a malformed APDU', '8010800005aa', '6700'],
    ['GET RESPONSE with nothing pending', '00c0000000', '6985'],
    ['NFCCTAP_GETRESPONSE with nothing pending', '8011000000', '6985'],
  ])('answers %s with its status word', async (_, apdu, expected) => {
    const { send } = await selected();
    expect(await send(apdu)).toBe(expected);
  });

  it('answers an empty NFCCTAP_MSG with CTAP1_ERR_INVALID_LENGTH', async () => {
    const { send } = await selected();
    expect(await send('8010800000')).toBe('039000');
  });
});

describe('smartCardConnection', () => {
  it('passes APDUs to the card and refuses them after close with TransportError(closed)', async () => {
    const conn = smartCardConnection(new VirtualNfcCard(new FakeAuthenticator()));
    expect(toHex(await conn.transmit(fromHex(SELECT)))).toBe(FIDO_2_0 + '9000');
    await conn.close();
    await expect(conn.transmit(fromHex(SELECT))).rejects.toThrowError(TransportError);
  });
});
