// Full ceremonies: the real WebAuthnClient drives a virtual key of each profile, and the real relying party verifies, for each UV policy.
import { describe, expect, it } from 'vitest';
import { AuthenticatorConfig } from '../../src/ctap/ctap2/AuthenticatorConfig.js';
import { ClientPin } from '../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../src/ctap/ctap2/Ctap2.js';
import { CtapHidDevice } from '../../src/ctap/hid/CtapHidDevice.js';
import { ClientError } from '../../src/ctap/errors.js';
import type { VirtualAuthenticator } from '../../src/ctap/virtual/index.js';
import type { UserVerificationPolicy } from '../../src/main/rp/index.js';
import { PIN, ScriptedUi, client, enrolledBioKey, openKey, setPin, virtualKey } from '../ctap/webauthn/support.js';
import { EMAIL, PASSWORD, openRp, useTempDirs } from '../main/rp/fixture.js';

const tempDir = useTempDirs();

/** A yubikey5 with a PIN and alwaysUv switched on through authenticatorConfig, as a user would. */
async function alwaysUvKey(): Promise<VirtualAuthenticator> {
  const key = virtualKey();
  await setPin(key);
  const device = await CtapHidDevice.open(key.hidConnection());
  const ctap2 = await Ctap2.create(device);
  const pin = new ClientPin(ctap2);
  const token = await pin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.acfg });
  await new AuthenticatorConfig(ctap2, token).toggleAlwaysUv();
  token.dispose();
  await device.close();
  return key;
}

interface Profile {
  name: string;
  key: () => Promise<VirtualAuthenticator>;
  /** PINs the user types when asked (each ceremony may ask once). */
  pins: number;
  /** Whether the key can verify the user at all (PIN or fingerprint). */
  canVerify: boolean;
  /** Whether it verifies even when not asked (alwaysUv). */
  alwaysVerifies?: boolean;
  /** CTAP 2.0 keys with a PIN demand it for every makeCredential (2.0 has no makeCredUvNotRqd). */
  registrationAlwaysVerifies?: boolean;
  fmt: string;
}

const PROFILES: Profile[] = [
  { name: 'yubikey5, no PIN', key: async () => virtualKey(), pins: 0, canVerify: false, fmt: 'packed' },
  {
    name: 'yubikey5, PIN set',
    key: async () => {
      const k = virtualKey();
      await setPin(k);
      return k;
    },
    pins: 2,
    canVerify: true,
    fmt: 'packed',
  },
  { name: 'yubikeyBio, finger enrolled', key: () => enrolledBioKey(), pins: 0, canVerify: true, fmt: 'packed' },
  { name: 'yubikey5, alwaysUv', key: alwaysUvKey, pins: 2, canVerify: true, alwaysVerifies: true, fmt: 'packed' },
  {
    name: 'ctap20 (Solo), PIN set',
    key: async () => {
      const k = virtualKey({ profile: 'ctap20' });
      await setPin(k);
      return k;
    },
    pins: 2,
    canVerify: true,
    registrationAlwaysVerifies: true,
    fmt: 'packed',
  },
  { name: 'U2F-only', key: async () => virtualKey({ profile: 'u2fOnly' }), pins: 0, canVerify: false, fmt: 'fido-u2f' },
];

const POLICIES: UserVerificationPolicy[] = ['required', 'preferred', 'discouraged'];

describe('ceremonies: WebAuthnClient -> virtual key -> relying party', () => {
  for (const profile of PROFILES) {
    for (const policy of POLICIES) {
      const expectUv = profile.alwaysVerifies || (profile.canVerify && policy !== 'discouraged');
      const works = profile.canVerify || policy !== 'required';
      it(`${profile.name}, userVerification ${policy}: ${works ? `registers and signs in (UV ${expectUv})` : 'is refused with a reason'}`, async () => {
        const { rp } = await openRp(await tempDir());
        await rp.updateSettings({ userVerification: policy });
        const { user } = await rp.signUp({ email: EMAIL, password: PASSWORD });
        const key = await profile.key();
        const ui = new ScriptedUi(new Array(profile.pins).fill(PIN));
        const webauthn = client([await openKey(key)], ui);

        const creation = await rp.startKeyRegistration({ userId: user.id });
        if (!works) {
          const error = await webauthn.create(creation).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ClientError);
          expect((error as ClientError).reason).toBe('uv-required');
          expect(rp.listKeys(user.id)).toHaveLength(0);
          return;
        }
        const record = await rp.finishKeyRegistration({ response: await webauthn.create(creation) });
        expect(record.flags.user_verified).toBe(expectUv || (profile.registrationAlwaysVerifies ?? false));
        expect(rp.listKeys(user.id)).toHaveLength(1);

        const step = await rp.signInWithPassword({ email: EMAIL, password: PASSWORD });
        expect(step.status).toBe('key-required');
        if (step.status !== 'key-required') return;
        const assertion = await webauthn.get(step.options);
        const signInFlags = Buffer.from(assertion.response.authenticatorData, 'base64url')[32]!;
        expect((signInFlags & 0x04) !== 0).toBe(expectUv);
        const signedIn = await rp.finishKeySignIn({ response: assertion });
        expect(signedIn.user.id).toBe(user.id);
        expect(rp.listKeys(user.id)[0]!.authenticator.clone_warning).toBe(false);
        expect(ui.pinRequests.length).toBeLessThanOrEqual(profile.pins);
      });
    }
  }

  it('passwordless (WebAuthn-only): a key registered after the switch is discoverable and finds the account without an email', async () => {
    const { rp } = await openRp(await tempDir());
    await rp.updateSettings({ userVerification: 'required' });
    const { user } = await rp.signUp({ email: EMAIL, password: PASSWORD });
    const first = virtualKey();
    const second = virtualKey();
    await setPin(first);
    await setPin(second);
    const firstClient = client([await openKey(first)], new ScriptedUi([PIN]));
    const secondClient = client([await openKey(second)], new ScriptedUi([PIN, PIN]));
    // The lock-out guard: WebAuthn-only needs a key first.
    await rp.finishKeyRegistration({
      response: await firstClient.create(await rp.startKeyRegistration({ userId: user.id })),
    });
    await rp.setWebAuthnOnly({ userId: user.id, enabled: true });
    await rp.finishKeyRegistration({
      response: await secondClient.create(await rp.startKeyRegistration({ userId: user.id })),
    });
    const signedIn = await rp.finishKeySignIn({ response: await secondClient.get(await rp.startPasswordlessSignIn()) });
    expect(signedIn.user.id).toBe(user.id);
    expect(signedIn.method).toBe('key');
    expect(rp.listKeys(user.id).map((k) => k.is_passwordless)).toEqual([false, true]);
  });
});
