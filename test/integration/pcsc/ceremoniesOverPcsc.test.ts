// Relying-party ceremonies over real PC/SC: WebAuthnClient -> CtapNfcDevice -> pcscd -> vpcd -> virtual card, verified by the relying party.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { CtapNfcDevice } from '../../../src/ctap/nfc/CtapNfcDevice.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/VirtualAuthenticator.js';
import { VirtualNfcCard } from '../../../src/ctap/virtual/nfc/VirtualNfcCard.js';
import type { UserVerificationPolicy } from '../../../src/main/rp/index.js';
import { PcscService } from '../../../src/main/devices/pcsc/PcscService.js';
import { acquirePcscd } from '../../support/pcscd.js';
import { PIN, ScriptedUi, client } from '../../ctap/webauthn/support.js';
import { EMAIL, PASSWORD, openRp, useTempDirs } from '../../main/rp/fixture.js';
import { vpcdReaders, usePcscTimeouts } from './pcscEvents.js';
import { useVirtualCardSlot } from './virtualCardSlot.js';

const pcscd = await acquirePcscd();
afterAll(() => pcscd.release());
usePcscTimeouts();
const tempDir = useTempDirs();

describe.skipIf(pcscd.skipReason !== undefined)('relying-party ceremonies over pcscd + vpcd', () => {
  const service = new PcscService();
  const slot = useVirtualCardSlot(service);

  beforeAll(async () => {
    await service.start();
    await vpcdReaders(service);
  });
  afterAll(() => service.stop());

  /** Puts a virtual YubiKey 5 NFC on reader 00 00 (optionally with a PIN set) and opens it over PC/SC. */
  async function tapKey(withPin: boolean): Promise<CtapNfcDevice> {
    const authenticator = new VirtualAuthenticator({ profile: 'yubikey5', keepaliveIntervalMs: 20 });
    const device = slot.keep(
      await CtapNfcDevice.open(await slot.insert(new VirtualNfcCard(authenticator, { profile: 'fido2-u2f' }))),
    );
    if (withPin) await new ClientPin(await Ctap2.create(device)).setPin(PIN);
    return device;
  }

  const cases: [string, boolean, UserVerificationPolicy, boolean][] = [
    ['no PIN, preferred', false, 'preferred', false],
    ['PIN set, required', true, 'required', true],
  ];
  for (const [name, withPin, policy, uv] of cases) {
    it(`registers a key and signs in with it over NFC (${name})`, async () => {
      const { rp } = await openRp(await tempDir());
      await rp.updateSettings({ userVerification: policy });
      const { user } = await rp.signUp({ email: EMAIL, password: PASSWORD });
      const nfc = await tapKey(withPin);
      const webauthn = client([nfc], new ScriptedUi(withPin ? [PIN, PIN] : []));

      const record = await rp.finishKeyRegistration({
        response: await webauthn.create(await rp.startKeyRegistration({ userId: user.id })),
      });
      expect(record.flags.user_verified).toBe(uv);
      expect(record.transports).toContain('nfc');

      const step = await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
      if (step.status !== 'key-required') throw new Error(`expected key-required, got ${step.status}`);
      const signedIn = await rp.finishKeySignIn({ response: await webauthn.get(step.options) });
      expect(signedIn.method).toBe('password+key');
      expect(signedIn.key?.authenticator.sign_count).toBeGreaterThan(record.authenticator.sign_count);
    });
  }
});
