import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/ctap/bytes.js';
import { detectCtapVersion } from '../../../src/ctap/authenticator/detectCtapVersion.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { TransportError } from '../../../src/ctap/errors.js';
import { CtapHidCmd } from '../../../src/ctap/hid/constants.js';
import { CtapNfcDevice, type CtapNfcDeviceOptions } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import type { SmartCardConnection } from '../../../src/ctap/transport.js';
import type { CtapLogger } from '../../../src/ctap/logger.js';
import { VirtualNfcCard, type VirtualNfcCardOptions } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { smartCardConnection } from '../../../src/ctap/virtual/nfc/smartCardConnection.js';
import { virtualCardAtr } from '../../../src/ctap/virtual/nfc/virtualCardAtr.js';
import { parseCommandApdu } from '../../../src/ctap/iso7816/apdu.js';
import { fromHex } from '../../../src/ctap/bytes.js';
import { FAKE_AAGUID, FakeAuthenticator, type FakeAuthenticatorOptions } from '../virtual/nfc/fakeAuthenticator.js';

/** Counts the APDUs by instruction byte on their way to the card. */
function counting(conn: SmartCardConnection): SmartCardConnection & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    transmit: (apdu) => {
      sent.push(toHex(apdu.subarray(0, 4)));
      return conn.transmit(apdu);
    },
    close: () => conn.close(),
  };
}

async function setup(
  auth: FakeAuthenticatorOptions = {},
  cardOpts: VirtualNfcCardOptions = {},
  deviceOpts: CtapNfcDeviceOptions = {},
) {
  const authenticator = new FakeAuthenticator(auth);
  const conn = counting(
    smartCardConnection(new VirtualNfcCard(authenticator, { statusUpdateAfterMs: 30, ...cardOpts })),
  );
  const device = await CtapNfcDevice.open(conn, { pollIntervalMs: 5, ...deviceOpts });
  return { authenticator, conn, device };
}

describe('CtapNfcDevice against VirtualNfcCard', () => {
  it('reads getInfo through Ctap2 over NFC', async () => {
    const { device } = await setup();
    const ctap2 = await Ctap2.create(device);
    expect(ctap2.info.versions).toEqual(['FIDO_2_0', 'FIDO_2_1']);
    expect(ctap2.info.aaguid).toEqual(FAKE_AAGUID);
    expect(ctap2.info.transports).toEqual(['nfc']);
  });

  it.each([
    ['fido2', 'FIDO_2_0', true, false],
    ['fido2-u2f', 'U2F_V2', true, true],
    ['u2f-only', 'U2F_V2', false, true],
  ] as const)('opens a %s card as %s (CTAP2 %s, CTAP1 %s)', async (profile, version, ctap2, ctap1) => {
    const { device } = await setup({}, { profile });
    expect(device.appletVersion).toBe(version);
    expect(device.capabilities.cbor).toBe(ctap2);
    expect(device.capabilities.msg).toBe(ctap1);
  });

  it.each([
    ['fido2-u2f', true, 'ctap2', 0],
    ['fido2-u2f', false, 'ctap2', 1],
    ['u2f-only', true, 'u2f', 0],
    ['fido2', true, 'ctap2', 1],
  ] as const)(
    'detectCtapVersion opens a %s card (getInfoFromOpening %s) as %s from what opening learned, with %i more getInfo',
    async (profile, getInfoFromOpening, kind, getInfos) => {
      const { device, conn } = await setup({}, { profile });
      const before = conn.sent.length;
      const opened = await detectCtapVersion(device, { getInfoFromOpening });
      expect(opened).toMatchObject({ kind, device });
      expect(conn.sent.slice(before).filter((header) => header === '80108000')).toHaveLength(getInfos);
      if (opened.kind === 'ctap2') expect(opened.ctap2.info.aaguid).toEqual(FAKE_AAGUID);
      else expect(opened.reason).toContain('the FIDO applet answered U2F_V2');
    },
  );

  it.each([
    ['chained short APDUs', false],
    ['extended APDUs', true],
  ])('carries a 3000-byte request and answer over %s', async (_, extendedApdu) => {
    const { device, authenticator, conn } = await setup({}, {}, { extendedApdu });
    const request = Uint8Array.from({ length: 3000 }, (_, i) => (i === 0 ? 0x40 : i & 0xff));
    const answer = await device.call(CtapHidCmd.CBOR, request);
    expect(answer).toEqual(Uint8Array.of(0, ...request.subarray(1)));
    expect(authenticator.requests.at(-1)).toEqual(request);
    const chained = conn.sent.filter((h) => h.startsWith('9010')).length;
    const getResponses = conn.sent.filter((h) => h.startsWith('00c0')).length;
    expect(extendedApdu ? [chained, getResponses] : [chained > 10, getResponses > 10]).toEqual(
      extendedApdu ? [0, 0] : [true, true],
    );
  });

  it('reads a getInfo answer over 256 bytes through GET RESPONSE', async () => {
    const { device, conn } = await setup({ extensions: 40 });
    const info = await (await Ctap2.create(device)).getInfo();
    expect(info.extensions).toHaveLength(40);
    expect(conn.sent.filter((h) => h === '00c00000').length).toBeGreaterThan(0);
  });

  it('waits out a slow touch: several 9100 polls, UPNEEDED reported once', async () => {
    const { device, conn } = await setup({ delayMs: 400, upNeededAfterMs: 50 });
    const statuses: number[] = [];
    const answer = await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x41, 1, 2), {
      onKeepalive: (s) => statuses.push(s),
      timeoutMs: 200,
    });
    expect(toHex(answer)).toBe('000102');
    expect(statuses).toEqual([1, 2]);
    expect(conn.sent.filter((h) => h === '80110000').length).toBeGreaterThanOrEqual(3);
  });

  it('cancels a request waiting for touch, and the card takes the next request', async () => {
    const { device, authenticator, conn } = await setup({ delayMs: 10_000, upNeededAfterMs: 0 });
    const controller = new AbortController();
    const call = device.call(CtapHidCmd.CBOR, Uint8Array.of(0x41), {
      signal: controller.signal,
      onKeepalive: (status) => status === 2 && controller.abort(),
    });
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(conn.sent).toContain('80111100');
    expect(authenticator.cancelled).toBe(1);
    const ctap2 = await Ctap2.create(device);
    expect(ctap2.info.versions).toContain('FIDO_2_1');
  });

  it('reports a card that refuses extended APDUs as TransportError(apdu, 6700)', async () => {
    const error = await setup({}, { extendedApdu: false }, { extendedApdu: true })
      .then(({ device }) => device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04)))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'apdu', detail: 0x6700 });
  });
});

describe("CtapNfcDevice's APDU form, chosen from the card's ATR ('auto', the default)", () => {
  interface Reader {
    /** Pretend the card states these capabilities (an ATR that may lie); undefined: the card's own ATR. */
    atr?: Uint8Array | null;
    /** A reader that carries short APDUs only: an extended one fails the transmit, as PC/SC readers without it do. */
    shortOnly?: boolean;
  }

  function recordingLogger(): CtapLogger & { lines: string[] } {
    const lines: string[] = [];
    return { lines, debug: (line) => lines.push(line), warn: (line) => lines.push(line) };
  }

  /** The card behind a reader, recording each APDU's instruction and form. */
  function tap(card: VirtualNfcCard, reader: Reader = {}): SmartCardConnection & { forms: string[] } {
    const conn = smartCardConnection(card);
    const forms: string[] = [];
    const atr = reader.atr === undefined ? card.atr : reader.atr;
    return {
      forms,
      ...(atr && { atr: async () => atr }),
      transmit: async (apdu) => {
        const { ins, form } = parseCommandApdu(apdu);
        forms.push(`${ins.toString(16)}:${form}`);
        if (reader.shortOnly && form === 'extended')
          throw new TransportError('io', 'the card connection failed: NotTransacted');
        return conn.transmit(apdu);
      },
      close: () => conn.close(),
    };
  }

  it('sends one extended APDU per request when the ATR says the card takes them', async () => {
    const conn = tap(new VirtualNfcCard(new FakeAuthenticator({ extensions: 40 })));
    const device = await CtapNfcDevice.open(conn);
    const ctap2 = await Ctap2.create(device);
    expect(ctap2.info.extensions).toHaveLength(40);
    expect(device.apduForm).toBe('extended');
    // SELECT goes short; getInfo (over 256 bytes) comes back whole, without GET RESPONSE.
    expect(conn.forms).toEqual(['a4:short', '10:extended']);
  });

  it('stays with chained short APDUs when the ATR states no extended lengths, or there is no ATR to read', async () => {
    for (const [card, reader] of [
      [new VirtualNfcCard(new FakeAuthenticator({ extensions: 40 }), { extendedApdu: false }), {}],
      [new VirtualNfcCard(new FakeAuthenticator({ extensions: 40 })), { atr: null }],
    ] as const) {
      const conn = tap(card, reader);
      const device = await CtapNfcDevice.open(conn);
      await Ctap2.create(device);
      expect(device.apduForm).toBe('short');
      expect(conn.forms).toEqual(['a4:short', '10:short', 'c0:short']);
    }
  });

  it('falls back to short APDUs for good when the card refuses the extended one it claimed to take (6700)', async () => {
    const logger = recordingLogger();
    const conn = tap(new VirtualNfcCard(new FakeAuthenticator(), { extendedApdu: false }), {
      atr: virtualCardAtr({ extendedApdu: true }),
    });
    const device = await CtapNfcDevice.open(conn, { logger });
    expect(device.apduForm).toBe('extended');
    const ctap2 = await Ctap2.create(device);
    expect(ctap2.info.versions).toContain('FIDO_2_1');
    expect(device.apduForm).toBe('short');
    await ctap2.getInfo();
    expect(conn.forms).toEqual(['a4:short', '10:extended', '10:short', '10:short']);
    expect(logger.lines.join('\n')).toMatch(/extended APDU refused \(the card answered 6700.*short APDUs from now on/);
  });

  it('falls back to short APDUs when the reader fails the extended transmit, and resends that request', async () => {
    const fake = new FakeAuthenticator();
    const conn = tap(new VirtualNfcCard(fake), { shortOnly: true });
    const device = await CtapNfcDevice.open(conn);
    const answer = await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x41, 7));
    expect(toHex(answer)).toBe('0007');
    expect(fake.requests.map(toHex)).toEqual(['4107']);
    expect(conn.forms).toEqual(['a4:short', '10:extended', '10:short']);
    expect(device.apduForm).toBe('short');
  });

  it('probes a U2F-only card once per form and leaves it on short APDUs', async () => {
    const conn = tap(new VirtualNfcCard(new FakeAuthenticator(), { profile: 'u2f-only' }));
    const device = await CtapNfcDevice.open(conn);
    expect(device.capabilities.cbor).toBe(false);
    expect(device.apduForm).toBe('short');
    expect(conn.forms).toEqual(['a4:short', '10:extended', '10:short']);
  });

  it('does not resend after a timeout or a cancel: only a refusal says the form is at fault', async () => {
    const conn = tap(
      new VirtualNfcCard(new FakeAuthenticator({ delayMs: 10_000, upNeededAfterMs: 0 }), { statusUpdateAfterMs: 20 }),
    );
    const device = await CtapNfcDevice.open(conn, { pollIntervalMs: 5 });
    const controller = new AbortController();
    const call = device.call(CtapHidCmd.CBOR, Uint8Array.of(0x41), {
      signal: controller.signal,
      onKeepalive: () => controller.abort(),
    });
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    // 9100 is a well-formed answer: extended is proven and stays.
    expect(device.apduForm).toBe('extended');
    expect(conn.forms.filter((f) => f === '10:short')).toEqual([]);
  });

  it('sends short APDUs when an unreadable ATR says nothing, and says why at debug level', async () => {
    const logger = recordingLogger();
    const conn = tap(new VirtualNfcCard(new FakeAuthenticator()), { atr: fromHex('3b8d8001') });
    const device = await CtapNfcDevice.open(conn, { logger });
    expect(device.apduForm).toBe('short');
    expect(logger.lines.join('\n')).toMatch(
      /the ATR could not be read: ATR 3b8d8001: T0 announces 13 historical bytes/,
    );
  });

  it('obeys an explicit extendedApdu: false whatever the ATR says', async () => {
    const conn = tap(new VirtualNfcCard(new FakeAuthenticator()));
    const device = await CtapNfcDevice.open(conn, { extendedApdu: false });
    await device.call(CtapHidCmd.CBOR, Uint8Array.of(0x04));
    expect(conn.forms).toEqual(['a4:short', '10:short']);
  });
});
