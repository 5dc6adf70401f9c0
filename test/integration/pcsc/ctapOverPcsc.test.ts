// CTAP2 over real PC/SC: Ctap2 -> CtapNfcDevice -> PcscCardConnection -> pcscd -> vpcd -> VpcdClient -> VirtualNfcCard -> VirtualAuthenticator.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/ctap/bytes.js';
import { CoseAlgorithm } from '../../../src/ctap/ctap2/constants.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { TransportError } from '../../../src/ctap/errors.js';
import { KeepaliveStatus } from '../../../src/ctap/transport.js';
import { CtapNfcDevice, type CtapNfcDeviceOptions } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import type { SmartCardConnection } from '../../../src/ctap/transport.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { acquirePcscd } from '../../support/pcscd.js';
import { vpcdReaders, usePcscTimeouts } from './pcscEvents.js';
import { useVirtualCardSlot } from './virtualCardSlot.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();

/** The first four bytes (CLA INS P1 P2) of every APDU our side sends, as hex; `onSent` hears of each as it is sent. */
function recording(conn: SmartCardConnection): SmartCardConnection & { headers: string[]; onSent: Set<() => void> } {
  const headers: string[] = [];
  const onSent = new Set<() => void>();
  return {
    headers,
    onSent,
    ...(conn.atr && { atr: () => conn.atr!() }),
    transmit: (apdu) => {
      headers.push(toHex(apdu.subarray(0, 4)));
      for (const listener of onSent) listener();
      return conn.transmit(apdu);
    },
    close: () => conn.close(),
  };
}

const RP = { id: 'latchkey.localhost', name: 'Latchkey' };
const clientDataHash = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());

function makeCredentialParams(userName = 'alice@example.com') {
  return {
    clientDataHash: clientDataHash(`register ${userName}`),
    rp: RP,
    user: { id: new TextEncoder().encode(userName), name: userName, displayName: 'Alice' },
    pubKeyCredParams: [{ type: 'public-key' as const, alg: CoseAlgorithm.ES256 }],
  };
}

describe.skipIf(pcscd.skipReason !== undefined)('CTAP2 over pcscd + vpcd', () => {
  const service = new PcscService();
  let authenticator: VirtualAuthenticator;
  const slot = useVirtualCardSlot(service);

  beforeAll(async () => {
    await service.start();
    await vpcdReaders(service);
  });
  afterAll(() => service.stop());

  /** Puts a fresh virtual YubiKey 5 NFC (it answers U2F_V2 to SELECT, as the real one does) on reader 00 00 and opens it. */
  async function tapKey(deviceOpts: CtapNfcDeviceOptions = {}) {
    authenticator = new VirtualAuthenticator({ profile: 'yubikey5' });
    const card = new VirtualNfcCard(authenticator, { profile: 'fido2-u2f' });
    const wire = recording(await slot.insert(card));
    const device = slot.keep(await CtapNfcDevice.open(wire, deviceOpts));
    return { wire, device, ctap2: await Ctap2.create(device) };
  }

  it('selects the applet, probes CTAP2 and reads getInfo', async () => {
    const { device, ctap2, wire } = await tapKey();
    expect(device.appletVersion).toBe('U2F_V2');
    expect(device.capabilities.cbor).toBe(true);
    expect(ctap2.info.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1']);
    expect(ctap2.info.transports).toContain('nfc');
    expect(wire.headers.slice(0, 2)).toEqual(['00a40400', '80108000']);
  });

  it('reads through pcscd the ATR that states extended lengths, and so sends extended APDUs by default', async () => {
    const { device, ctap2, wire } = await tapKey();
    expect(device.apduForm).toBe('extended');
    const sent = wire.headers.length;
    await ctap2.makeCredential(makeCredentialParams('carol@example.com'));
    // One NFCCTAP_MSG (and polls, should the card take long enough to answer 9100): no chaining, no GET RESPONSE.
    const after = wire.headers.slice(sent);
    expect(after[0]).toBe('80108000');
    expect(after.slice(1).filter((h) => h !== '80110000')).toEqual([]);
  });

  it('registers and signs in over short APDUs, fetching the long attestation (over 256 bytes) with GET RESPONSE', async () => {
    const { ctap2, wire } = await tapKey({ extendedApdu: false });
    const sent = wire.headers.length;
    const attestation = await ctap2.makeCredential(makeCredentialParams());
    expect(attestation.fmt).toBe('packed');
    const credentialId = attestation.authData.attestedCredentialData!.credentialId;
    expect(wire.headers.slice(sent)).toContain('00c00000');

    const assertion = await ctap2.getAssertion({
      rpId: RP.id,
      clientDataHash: clientDataHash('sign in'),
      allowList: [{ type: 'public-key', id: credentialId }],
    });
    expect(assertion.credential.id).toEqual(credentialId);
    expect(assertion.authData.flags.up).toBe(true);
  });

  it('carries the same exchange in extended APDUs, without chaining or GET RESPONSE', async () => {
    const { ctap2, wire } = await tapKey({ extendedApdu: true });
    const sent = wire.headers.length;
    await ctap2.makeCredential(makeCredentialParams('bob@example.com'));
    const after = wire.headers.slice(sent);
    expect(after.some((h) => h.startsWith('9010') || h.startsWith('00c0'))).toBe(false);
  });

  it('waits out a touch slower than the call timeout: the card answers 9100 until then, each answer re-arms the timeout, and UPNEEDED is reported once', async () => {
    const { ctap2, wire } = await tapKey();
    // Each 9100 must re-arm this timeout; the touch comes only after it would have run out twice over. Both are
    // generous, so a slow poll on a loaded machine cannot pass for a timeout that was never re-armed.
    const timeoutMs = 1_500;
    const sent = wire.headers.length;
    const polls = (): number => wire.headers.slice(sent).filter((h) => h === '80110000').length;
    authenticator.presence = () => {
      const touchAfter = Date.now() + 2 * timeoutMs;
      return new Promise((resolve) => {
        const touchWhenDue = (): void => {
          if (polls() < 3 || Date.now() < touchAfter) return;
          wire.onSent.delete(touchWhenDue);
          resolve(true);
        };
        wire.onSent.add(touchWhenDue);
      });
    };
    const statuses: number[] = [];
    const startedAt = Date.now();
    const attestation = await ctap2.makeCredential(makeCredentialParams(), {
      onKeepalive: (s) => statuses.push(s),
      timeoutMs,
    });
    expect(attestation.authData.flags.up).toBe(true);
    expect(Date.now() - startedAt).toBeGreaterThan(2 * timeoutMs);
    expect(statuses.filter((s) => s === KeepaliveStatus.UPNEEDED)).toHaveLength(1);
    expect(polls()).toBeGreaterThanOrEqual(3);
    console.info(
      `slow touch: ${polls()} NFCCTAP_GETRESPONSE polls answered 9100, keepalive statuses ${JSON.stringify(statuses)}`,
    );
  });

  it('cancels a request waiting for a touch with NFCCTAP_GETRESPONSE P1 0x11, and the key stays usable', async () => {
    const { ctap2, wire } = await tapKey();
    authenticator.presence = () => new Promise(() => undefined);
    const controller = new AbortController();
    const started = Date.now();
    const error = await ctap2
      .makeCredential(makeCredentialParams(), {
        signal: controller.signal,
        onKeepalive: (status) => status === KeepaliveStatus.UPNEEDED && controller.abort(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'cancelled' });
    // Well before the call's own 30 s timeout: the cancel ended it (a generous bound; under load a cancel can take seconds).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(wire.headers).toContain('80111100');
    const info = await ctap2.getInfo();
    expect(info.versions).toContain('FIDO_2_1');
  });

  it('fails with a TransportError, not a hang, when the card is pulled mid-operation', async () => {
    const { ctap2 } = await tapKey();
    authenticator.presence = () => new Promise(() => undefined);
    let pulledAt = 0;
    const error = await ctap2
      .makeCredential(makeCredentialParams(), {
        timeoutMs: 60_000,
        onKeepalive: (status) => {
          if (status !== KeepaliveStatus.UPNEEDED || pulledAt) return;
          pulledAt = Date.now();
          void slot.pull();
        },
      })
      .catch((e: unknown) => e);
    const failedAfter = Date.now() - pulledAt;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('closed');
    // Long before the call's 60 s timeout: the pull ended it, not the timeout (a generous bound, for a loaded machine).
    expect(failedAfter).toBeLessThan(30_000);
    console.info(
      `card pulled mid-operation: ${(error as TransportError).code} (${(error as Error).message}) after ${failedAfter} ms`,
    );
  });
});
