import { describe, expect, it } from 'vitest';
import { CtapError, TransportError } from '../../../src/ctap/errors.js';
import { CtapHidCmd } from '../../../src/ctap/hid/constants.js';
import { CtapNfcDevice } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import type { SmartCardConnection } from '../../../src/ctap/transport.js';
import {
  FIDO_2_0_REPLY,
  ScriptedCard,
  SELECT_APDU,
  delayed,
  hex,
  patternHex,
  recordedNfc,
  type ScriptStep,
} from './scriptedCard.js';
import { rejection } from '../../support/rejection.js';

/** getInfo as NFCCTAP_MSG with P1 0x80 and Le 00. */
const GET_INFO_APDU = '80108000010400';
const GET_INFO_OK = '00a10181665532465f56329000'; // CTAP2_OK, {1: ["U2F_V2"]}
const NFCCTAP_GETRESPONSE = '8011000000';
const NFCCTAP_CANCEL = '8011110000';
const OK = '9000';

async function openFido2(steps: ScriptStep[], opts: Parameters<typeof CtapNfcDevice.open>[1] = {}) {
  const card = new ScriptedCard([{ expect: SELECT_APDU, reply: FIDO_2_0_REPLY }, ...steps]);
  const device = await CtapNfcDevice.open(card, { pollIntervalMs: 1, ...opts });
  return { card, device };
}

describe('CtapNfcDevice.open', () => {
  it('selects the FIDO AID and, for the recorded YubiKey answer U2F_V2 9000, probes CTAP2 with getInfo', async () => {
    const card = new ScriptedCard([
      { expect: SELECT_APDU, reply: recordedNfc('WIREDATA_CTAP_NFC_INIT') },
      { expect: GET_INFO_APDU, reply: GET_INFO_OK },
    ]);
    const device = await CtapNfcDevice.open(card);
    expect(card.sent).toEqual([SELECT_APDU, GET_INFO_APDU]);
    expect(device.transport).toBe('nfc');
    expect(device.appletVersion).toBe('U2F_V2');
    expect(device.capabilities.msg).toBe(true);
    expect(device.capabilities.cbor).toBe(true);
    // The probe's answer is kept, so whoever opened the card need not ask for getInfo again.
    expect(device.opening.getInfoAnswer?.[0]).toBe(0x00);
  });

  it('takes FIDO_2_0 as CTAP2 only, without a probe', async () => {
    const { card, device } = await openFido2([]);
    expect(card.sent).toEqual([SELECT_APDU]);
    expect(device.appletVersion).toBe('FIDO_2_0');
    expect(device.capabilities.msg).toBe(false);
    expect(device.capabilities.cbor).toBe(true);
    expect(device.opening.getInfoAnswer).toBeUndefined();
  });

  it('marks a U2F_V2 card that refuses NFCCTAP_MSG with 6D00 as U2F only', async () => {
    const card = new ScriptedCard([
      { expect: SELECT_APDU, reply: recordedNfc('WIREDATA_CTAP_NFC_INIT') },
      { expect: GET_INFO_APDU, reply: '6d00' },
    ]);
    const device = await CtapNfcDevice.open(card);
    expect(device.capabilities.cbor).toBe(false);
    expect(device.capabilities.msg).toBe(true);
  });

  it('marks a U2F_V2 card whose getInfo ends in a CTAP error as U2F only', async () => {
    const card = new ScriptedCard([
      { expect: SELECT_APDU, reply: recordedNfc('WIREDATA_CTAP_NFC_INIT') },
      { expect: GET_INFO_APDU, reply: '01' + OK },
    ]);
    expect((await CtapNfcDevice.open(card)).capabilities.cbor).toBe(false);
  });

  it('fetches a SELECT answer the card announces with 61xx through GET RESPONSE', async () => {
    const card = new ScriptedCard([
      { expect: SELECT_APDU, reply: hex(new TextEncoder().encode('FIDO')) + '6104' },
      { expect: '00c0000004', reply: hex(new TextEncoder().encode('_2_0')) + OK },
    ]);
    const device = await CtapNfcDevice.open(card);
    expect(device.appletVersion).toBe('FIDO_2_0');
  });

  it.each([
    ['6a82', 0x6a82],
    ['6985', 0x6985],
  ])(
    'rejects a card answering SELECT with %s as TransportError(no-applet), so discovery can skip it',
    async (reply, sw) => {
      const card = new ScriptedCard([{ expect: SELECT_APDU, reply }]);
      const error = await rejection(CtapNfcDevice.open(card));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'no-applet', detail: sw });
    },
  );

  it('rejects any other SELECT status word as TransportError(apdu) carrying the SW', async () => {
    const card = new ScriptedCard([{ expect: SELECT_APDU, reply: '6a86' }]);
    const error = await rejection(CtapNfcDevice.open(card));
    expect(error).toMatchObject({ code: 'apdu', detail: 0x6a86, message: expect.stringContaining('6A86') });
  });

  it('rejects a SELECT answer that is not a FIDO version string, naming both', async () => {
    const card = new ScriptedCard([{ expect: SELECT_APDU, reply: hex(new TextEncoder().encode('OATH')) + OK }]);
    const error = await rejection(CtapNfcDevice.open(card));
    expect(error).toMatchObject({
      code: 'no-applet',
      message: expect.stringMatching(/"OATH".*"U2F_V2" or "FIDO_2_0"/),
    });
  });

  it('gives up on a silent card after openTimeoutMs with TransportError(timeout)', async () => {
    const card = new ScriptedCard([{ expect: SELECT_APDU, reply: delayed(500, FIDO_2_0_REPLY) }]);
    const error = await rejection(CtapNfcDevice.open(card, { openTimeoutMs: 50 }));
    expect(error).toMatchObject({ code: 'timeout' });
  });
});

describe('CtapNfcDevice.call(CBOR)', () => {
  it('wraps the request in NFCCTAP_MSG (CLA 80 INS 10 P1 80 P2 00, Le 00) and returns status byte + CBOR', async () => {
    const { card, device } = await openFido2([{ expect: GET_INFO_APDU, reply: GET_INFO_OK }]);
    const answer = await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04));
    expect(hex(answer)).toBe(GET_INFO_OK.slice(0, -4));
    expect(card.sent.at(-1)).toBe(GET_INFO_APDU);
  });

  it('chains a long request in short APDUs of 250 bytes with CLA 90, the last with CLA 80 and Le', async () => {
    const request = patternHex(600);
    const acks = recordedNfc('WIREDATA_CTAP_NFC_MSG').match(/.{4}/g)!;
    const { card, device } = await openFido2([
      { expect: '90108000fa' + request.slice(0, 500), reply: acks[0]! },
      { expect: '90108000fa' + request.slice(500, 1000), reply: acks[1]! },
      { expect: '8010800064' + request.slice(1000) + '00', reply: '00' + OK },
    ]);
    expect(hex(await device.call(CtapHidCmd.CBOR, Uint8Array.from(Buffer.from(request, 'hex'))))).toBe('00');
    expect(card.remaining).toBe(0);
  });

  it('chains at the configured chunk size', async () => {
    const request = patternHex(300);
    const { device, card } = await openFido2(
      [
        { expect: '90108000f0' + request.slice(0, 480), reply: OK },
        { expect: '801080003c' + request.slice(480) + '00', reply: '00' + OK },
      ],
      { chainChunkSize: 240 },
    );
    await device.call(CtapHidCmd.CBOR, Uint8Array.from(Buffer.from(request, 'hex')));
    expect(card.remaining).toBe(0);
  });

  it('stops a chain the card refuses part-way and reports its SW as TransportError(apdu)', async () => {
    const request = patternHex(600);
    const { card, device } = await openFido2([{ expect: '90108000fa' + request.slice(0, 500), reply: '6700' }]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.from(Buffer.from(request, 'hex'))));
    expect(error).toMatchObject({ code: 'apdu', detail: 0x6700 });
    expect(card.sent).toHaveLength(2);
  });

  it('sends one extended APDU when extended APDUs are enabled', async () => {
    const request = patternHex(600);
    const { device } = await openFido2([{ expect: '8010800000' + '0258' + request + '0000', reply: '00' + OK }], {
      extendedApdu: true,
    });
    expect(hex(await device.call(CtapHidCmd.CBOR, Uint8Array.from(Buffer.from(request, 'hex'))))).toBe('00');
  });

  it('collects an answer over 256 bytes with GET RESPONSE (00 C0 00 00 xx) while the card says 61xx', async () => {
    const body = patternHex(528);
    const { card, device } = await openFido2([
      { expect: GET_INFO_APDU, reply: body.slice(0, 512) + '6100' },
      { expect: '00c0000000', reply: body.slice(512, 1024) + '6110' },
      { expect: '00c0000010', reply: body.slice(1024) + OK },
    ]);
    expect(hex(await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)))).toBe(body);
    expect(card.remaining).toBe(0);
  });

  it('polls NFCCTAP_GETRESPONSE (80 11 00 00) while the card answers 9100 and reports status changes only', async () => {
    const statuses: number[] = [];
    const { card, device } = await openFido2([
      { expect: GET_INFO_APDU, reply: '01' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '01' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '02' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '02' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '00a0' + OK },
    ]);
    const answer = await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { onKeepalive: (s) => statuses.push(s) });
    expect(hex(answer)).toBe('00a0');
    expect(statuses).toEqual([1, 2]);
    expect(card.remaining).toBe(0);
  });

  it('takes a 9100 without data as "processing"', async () => {
    const statuses: number[] = [];
    const { device } = await openFido2([
      { expect: GET_INFO_APDU, reply: '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '00' + OK },
    ]);
    await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { onKeepalive: (s) => statuses.push(s) });
    expect(statuses).toEqual([1]);
  });

  it('waits pollIntervalMs between polls', async () => {
    const { device } = await openFido2(
      [
        { expect: GET_INFO_APDU, reply: '01' + '9100' },
        { expect: NFCCTAP_GETRESPONSE, reply: '01' + '9100' },
        { expect: NFCCTAP_GETRESPONSE, reply: '00' + OK },
      ],
      { pollIntervalMs: 60 },
    );
    const started = Date.now();
    await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('re-arms the timeout on every 9100, so a slow card that keeps saying so is not cut off', async () => {
    const { device } = await openFido2([
      { expect: GET_INFO_APDU, reply: delayed(60, '01' + '9100') },
      ...Array.from({ length: 4 }, () => ({ expect: NFCCTAP_GETRESPONSE, reply: delayed(60, '02' + '9100') })),
      { expect: NFCCTAP_GETRESPONSE, reply: delayed(60, '00' + OK) },
    ]);
    expect(hex(await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { timeoutMs: 100 }))).toBe('00');
  });

  it('rejects with TransportError(timeout) when the card stops answering', async () => {
    const { device } = await openFido2([
      { expect: GET_INFO_APDU, reply: '01' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: delayed(400, '00' + OK) },
    ]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { timeoutMs: 100 }));
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringContaining('100 ms') });
  });

  it('on abort sends NFCCTAP_GETRESPONSE with P1 0x11 and rejects with TransportError(cancelled)', async () => {
    const controller = new AbortController();
    const { card, device } = await openFido2([
      { expect: GET_INFO_APDU, reply: '02' + '9100' },
      {
        expect: NFCCTAP_GETRESPONSE,
        reply: async () => {
          controller.abort();
          return '02' + '9100';
        },
      },
      { expect: NFCCTAP_CANCEL, reply: '2d' + OK },
    ]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { signal: controller.signal }));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(card.sent.slice(1)).toEqual([GET_INFO_APDU, NFCCTAP_GETRESPONSE, NFCCTAP_CANCEL]);
  });

  it('cancels during the pause between polls without waiting for it to end', async () => {
    const controller = new AbortController();
    const { card, device } = await openFido2(
      [
        { expect: GET_INFO_APDU, reply: '02' + '9100' },
        { expect: NFCCTAP_CANCEL, reply: '2d' + OK },
      ],
      {
        pollIntervalMs: 10_000,
      },
    );
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(card.sent.at(-1)).toBe(NFCCTAP_CANCEL);
  });

  it('ends as cancelled even when the card has vanished and cannot take the cancel', async () => {
    const controller = new AbortController();
    const { device } = await openFido2([
      {
        expect: GET_INFO_APDU,
        reply: async () => {
          controller.abort();
          return '02' + '9100';
        },
      },
      {
        expect: NFCCTAP_CANCEL,
        reply: () => Promise.reject(new TransportError('closed', 'card removed')),
      },
    ]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'cancelled' });
  });

  it('sends nothing for a request aborted before it starts', async () => {
    const { card, device } = await openFido2([]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(card.sent).toEqual([SELECT_APDU]);
  });

  it('uses extended encodings for GETRESPONSE and the cancel in extended mode', async () => {
    const controller = new AbortController();
    const { card, device } = await openFido2(
      [
        { expect: '80108000000001040000', reply: '01' + '9100' },
        {
          expect: '80110000000000',
          reply: async () => {
            controller.abort();
            return '02' + '9100';
          },
        },
        { expect: '80111100000000', reply: '2d' + OK },
      ],
      { extendedApdu: true },
    );
    await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04), { signal: controller.signal }));
    expect(card.remaining).toBe(0);
  });

  it('rejects a final status word other than 9000 with TransportError(apdu) carrying the SW', async () => {
    const { device } = await openFido2([{ expect: GET_INFO_APDU, reply: '6f00' }]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)));
    expect(error).toMatchObject({
      code: 'apdu',
      detail: 0x6f00,
      message: expect.stringMatching(/6F00, expected 9000/),
    });
  });
});

describe('CtapNfcDevice.call(MSG): U2F over NFC', () => {
  it('sends the U2F APDU and returns the data with its status word, 6985 included', async () => {
    const register = '0001030040' + patternHex(64) + '00';
    const { card, device } = await openFido2([
      { expect: '0003000000', reply: hex(new TextEncoder().encode('U2F_V2')) + OK },
      { expect: register, reply: '6985' },
    ]);
    expect(hex(await device.call(CtapHidCmd.MSG, Uint8Array.from(Buffer.from('00030000', 'hex'))))).toBe(
      '5532465f5632' + OK,
    );
    // Ctap1 frames APDUs in the extended form CTAPHID_MSG uses; here they go short, as U2F over NFC expects.
    const extended = '00010300000040' + patternHex(64) + '0000';
    expect(hex(await device.call(CtapHidCmd.MSG, Uint8Array.from(Buffer.from(extended, 'hex'))))).toBe('6985');
    expect(card.remaining).toBe(0);
  });

  it('chains a U2F authenticate longer than a short APDU and fetches a long answer with GET RESPONSE', async () => {
    const data = patternHex(64 + 1 + 255);
    const { card, device } = await openFido2([
      { expect: '10020300fa' + data.slice(0, 500), reply: OK },
      { expect: '0002030046' + data.slice(500) + '00', reply: patternHex(256) + '6104' },
      { expect: '00c0000004', reply: patternHex(4) + OK },
    ]);
    const apdu = '00020300000140' + data + '0000';
    const answer = await device.call(CtapHidCmd.MSG, Uint8Array.from(Buffer.from(apdu, 'hex')));
    expect(answer).toHaveLength(262);
    expect(card.remaining).toBe(0);
  });
});

describe('CtapNfcDevice plumbing', () => {
  it('refuses CTAPHID-only commands with CtapError(CTAP1_ERR_INVALID_COMMAND)', async () => {
    const { device } = await openFido2([]);
    const error = await rejection(device.call(CtapHidCmd.PING, new Uint8Array(1)));
    expect(error).toBeInstanceOf(CtapError);
    expect(error).toMatchObject({ status: 0x01 });
  });

  it('runs concurrent calls one after another, never interleaving their APDUs', async () => {
    const { card, device } = await openFido2([
      { expect: GET_INFO_APDU, reply: '01' + '9100' },
      { expect: NFCCTAP_GETRESPONSE, reply: '00aa' + OK },
      { expect: '80108000010700', reply: '00bb' + OK },
    ]);
    const [a, b] = await Promise.all([
      device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)),
      device.call(CtapHidCmd.CBOR, Uint8Array.of(0x07)),
    ]);
    expect([hex(a), hex(b)]).toEqual(['00aa', '00bb']);
    expect(card.remaining).toBe(0);
  });

  it('wraps a failure of the connection in TransportError(io) and passes TransportErrors through', async () => {
    const failing: SmartCardConnection = {
      transmit: async (apdu) => {
        if (apdu[1] === 0xa4) return Uint8Array.from(Buffer.from(FIDO_2_0_REPLY, 'hex'));
        throw new Error('reader unplugged');
      },
      close: async () => undefined,
    };
    const device = await CtapNfcDevice.open(failing);
    const error = await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)));
    expect(error).toMatchObject({ code: 'io', message: expect.stringContaining('reader unplugged') });
  });

  it('closes the connection once and refuses calls afterwards with TransportError(closed)', async () => {
    const { card, device } = await openFido2([]);
    await device.close();
    await device.close();
    expect(card.closed).toBe(true);
    expect(await rejection(device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)))).toMatchObject({ code: 'closed' });
  });

  it('logs one debug line per APDU with header and lengths, never the data', async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), warn: () => undefined };
    const { device } = await openFido2([{ expect: '8010800004' + '06a1ffee' + '00', reply: '00' + OK }], { logger });
    await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x06, 0xa1, 0xff, 0xee));
    expect(lines).toEqual([
      'nfc > 00a40400 (14 bytes)',
      'nfc < 9000 (8 data bytes)',
      'nfc > 80108000 (10 bytes)',
      'nfc < 9000 (1 data bytes)',
    ]);
    expect(lines.join(' ')).not.toContain('a1ffee');
  });

  it('refuses a request over maxPayloadSize with TransportError(too-large)', async () => {
    const { device } = await openFido2([]);
    const error = await rejection(device.call(CtapHidCmd.CBOR, new Uint8Array(device.maxPayloadSize + 1)));
    expect(error).toMatchObject({ code: 'too-large' });
  });
});
