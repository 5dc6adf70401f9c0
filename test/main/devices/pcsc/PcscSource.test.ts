import { afterEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../../src/ctap/bytes.js';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { VirtualNfcCard } from '../../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { virtualCardAtr } from '../../../../src/ctap/virtual/nfc/virtualCardAtr.js';
import { PcscSource, type PcscSourceOptions } from '../../../../src/main/devices/pcsc/PcscSource.js';
import { nextSourceEvent, recordSource } from '../sourceEvents.js';
import { FakePcsc } from './fakePcsc.js';

const YUBIKEY5_AAGUID = 'ee882879-721c-4913-9775-3dfcce97072a';
/** A YubiKey 5 NFC's ATR: its historical bytes state its capabilities and name "YubiKey" as the issuer. */
const YUBIKEY_ATR = fromHex('3b8d80018073c021c057597562694b6579f9');
const noApplet = (): Uint8Array => Uint8Array.of(0x6a, 0x82);

let source: PcscSource | undefined;
afterEach(async () => {
  await source?.stop();
  source = undefined;
});

function nfc(opts: PcscSourceOptions): PcscSource {
  source = new PcscSource(opts);
  return source;
}

describe('PcscSource (fake PC/SC)', () => {
  it('lists a FIDO card with its AAGUID and model, skips a card without the FIDO applet, and drops a card that leaves', async () => {
    const pcsc = new FakePcsc();
    const fido = pcsc.plug('ACS ACR122U 00 00');
    const bank = pcsc.plug('ACS ACR122U 00 01');
    const card = new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' });
    let ctapMessages = 0;
    fido.insert((apdu) => {
      if (apdu[0] === 0x80 && apdu[1] === 0x10) ctapMessages++;
      return card.transmit(apdu);
    });
    bank.insert(noApplet);
    const s = nfc({ pcsc: { binding: pcsc } });
    const events = recordSource(s);
    await s.start();
    await s.settled();
    expect(s.list()).toEqual([
      {
        key: 'ACS ACR122U 00 00',
        ids: ['nfc:ACS ACR122U 00 00'],
        info: {
          transport: 'nfc',
          name: 'YubiKey 5 Series',
          reader: 'ACS ACR122U 00 00',
          aaguid: YUBIKEY5_AAGUID,
          model: 'YubiKey 5 Series',
          versions: expect.arrayContaining(['FIDO_2_0']) as unknown as string[],
        },
      },
    ]);
    expect(events.filter((e) => e.event === 'added')).toHaveLength(1);
    // The U2F_V2 card's CTAP2 probe was its getInfo: one NFCCTAP_MSG in all (each round trip costs time over NFC).
    expect(ctapMessages).toBe(1);

    const removed = nextSourceEvent(s, 'removed');
    fido.pull();
    expect(await removed).toBe('ACS ACR122U 00 00');
    expect(s.list()).toEqual([]);
  });

  it('names a card it could not read after its reader and keeps the reason', async () => {
    const pcsc = new FakePcsc();
    pcsc.plug('Reader').insert(() => Uint8Array.of(0x6f, 0x00));
    const s = nfc({ pcsc: { binding: pcsc } });
    await s.start();
    await s.settled();
    expect(s.list().map((d) => d.info)).toEqual([
      {
        transport: 'nfc',
        name: 'Security key on Reader',
        reader: 'Reader',
        problem: expect.stringMatching(/6f00/i) as unknown as string,
      },
    ]);
  });

  it('says which card is Latchkey\u2019s virtual card from the issuer its ATR names, and leaves a real YubiKey\u2019s name alone', async () => {
    const pcsc = new FakePcsc();
    const virtual = pcsc.plug('Reader A');
    const yubikey = pcsc.plug('Reader B');
    const unreadable = pcsc.plug('Reader C');
    virtual.atr = virtualCardAtr({ extendedApdu: true });
    yubikey.atr = YUBIKEY_ATR;
    unreadable.atr = virtualCardAtr({ extendedApdu: false });
    const cardA = new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' });
    const cardB = new VirtualNfcCard(new VirtualAuthenticator(), { profile: 'fido2-u2f' });
    virtual.insert((apdu) => cardA.transmit(apdu));
    yubikey.insert((apdu) => cardB.transmit(apdu));
    unreadable.insert(() => Uint8Array.of(0x6f, 0x00));
    const s = nfc({ pcsc: { binding: pcsc } });
    await s.start();
    await s.settled();
    const names = Object.fromEntries(s.list().map((d) => [d.key, d.info.name]));
    expect(names).toEqual({
      'Reader A': 'Latchkey virtual card (YubiKey 5 Series)',
      'Reader B': 'YubiKey 5 Series',
      'Reader C': 'Latchkey virtual card on Reader C',
    });
  });

  it('lists the keys present at start even when PC/SC reports them late (a loaded machine), not an empty list', async () => {
    const pcsc = new FakePcsc();
    const card = new VirtualNfcCard(new VirtualAuthenticator());
    pcsc.plug('Reader').insert((apdu) => card.transmit(apdu));
    pcsc.holdFirstReport = true;
    // The wait for a first report is long here, so only the report can end it, however slow this machine is.
    const s = nfc({ pcsc: { binding: pcsc }, firstReportMs: 30_000 });
    let started = false;
    const starting = s.start().then(() => (started = true));
    // Longer than PC/SC's quiet period: a start that only waited for quiet would have given up by now.
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toBe(false);
    pcsc.report();
    await starting;
    await s.settled();
    expect(s.list().map((d) => d.key)).toEqual(['Reader']);
  });

  it('does not wait for a first report longer than firstReportMs on a machine without readers', async () => {
    const s = nfc({ pcsc: { binding: new FakePcsc() }, firstReportMs: 50 });
    const startedAt = Date.now();
    await s.start();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(50);
    expect(s.list()).toEqual([]);
    expect(s.status()).toEqual({ transport: 'nfc', state: 'available' });
  });

  it('says NFC is unavailable when pcscd is not running, and picks it up once it runs', async () => {
    const pcsc = new FakePcsc();
    pcsc.startFailure = 'NoService';
    const s = nfc({ pcsc: { binding: pcsc }, retryMs: 30 });
    await s.start();
    expect(s.status()).toMatchObject({
      transport: 'nfc',
      state: 'unavailable',
      reason: expect.stringMatching(/pcscd is not running/) as unknown as string,
    });
    const back = nextSourceEvent(s, 'status');
    pcsc.startFailure = undefined;
    expect(await back).toEqual({ transport: 'nfc', state: 'available' });
  });

  it('drops the NFC keys and reports NFC unavailable when pcscd stops', async () => {
    const pcsc = new FakePcsc();
    const card = new VirtualNfcCard(new VirtualAuthenticator());
    pcsc.plug('Reader').insert((apdu) => card.transmit(apdu));
    const s = nfc({ pcsc: { binding: pcsc }, retryMs: 0 });
    await s.start();
    await s.settled();
    expect(s.list()).toHaveLength(1);
    const removed = nextSourceEvent(s, 'removed');
    const down = nextSourceEvent(s, 'status');
    pcsc.fail('ServiceStopped');
    expect(await removed).toBe('Reader');
    expect((await down).state).toBe('unavailable');
  });
});
