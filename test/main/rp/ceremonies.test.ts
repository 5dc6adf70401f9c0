// Registration and sign-in end to end (virtual key -> client stack -> relying party) under each user verification policy.

import { describe, expect, it } from 'vitest';
import { createCredential, getAssertion, openTestKey } from '../../support/webauthnResponses.js';
import {
  EMAIL,
  PASSWORD,
  expectRefusal,
  newAccount,
  openRp,
  registerKey,
  signInWithKey,
  useTempDirs,
} from './fixture.js';

const tempDir = useTempDirs();

describe('registration and sign-in', () => {
  it.each([
    { policy: 'required', pin: '2468', uv: true },
    { policy: 'preferred', pin: '2468', uv: true },
    { policy: 'preferred', pin: undefined, uv: false },
    { policy: 'discouraged', pin: '2468', uv: false },
    { policy: 'discouraged', pin: undefined, uv: false },
  ] as const)(
    'registers a key and signs in with password + key under $policy (PIN $pin)',
    async ({ policy, pin, uv }) => {
      const { rp } = await openRp(await tempDir());
      await rp.updateSettings({ userVerification: policy });
      const { user } = await newAccount(rp);
      const key = await openTestKey({ pin });

      const options = await rp.startKeyRegistration({ userId: user.id });
      expect(options.authenticatorSelection?.userVerification).toBe(policy);
      expect(options.rp).toEqual({ id: 'latchkey.localhost', name: 'Latchkey' });
      const credential = await rp.finishKeyRegistration({ response: await createCredential(key, options) });
      expect(credential.flags).toEqual({
        user_present: true,
        user_verified: uv,
        backup_eligible: false,
        backup_state: false,
      });
      expect(credential.attestation_type).toBe('packed');
      expect(credential.rp_id).toBe('latchkey.localhost');

      const signedIn = await signInWithKey(rp, key);
      expect(signedIn.method).toBe('password+key');
      expect(signedIn.user.email).toBe(EMAIL);
      expect(signedIn.key?.id).toBe(credential.id);
      expect(signedIn.key?.authenticator.sign_count).toBeGreaterThan(credential.authenticator.sign_count);
      expect(signedIn.key?.last_used_at).not.toBeNull();
      expect(signedIn.warnings).toEqual([]);
    },
  );

  it("stores the record with Ory's field names, a COSE public key and the key model as the default name", async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const credential = await registerKey(rp, user.id, await openTestKey({ profile: 'yubikey5' }));
    expect(Object.keys(credential).sort()).toEqual(
      [
        'added_at',
        'attestation_type',
        'authenticator',
        'display_name',
        'flags',
        'hmac_secret',
        'id',
        'is_passwordless',
        'last_used_at',
        'public_key',
        'rp_id',
        'transports',
        'user_handle',
      ].sort(),
    );
    expect(credential.display_name).toBe('YubiKey 5 Series');
    expect(credential.authenticator).toMatchObject({
      aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
      clone_warning: false,
    });
    expect(credential.transports).toEqual(['usb']);
    expect(credential.hmac_secret).toBe(true);
    expect(credential.is_passwordless).toBe(false);
    expect(credential.user_handle).toBe(rp.listKeys(user.id)[0]!.user_handle);
    expect(Buffer.from(credential.public_key, 'base64')[0]! & 0xe0).toBe(0xa0); // a CBOR map
    expect(credential.last_used_at).toBeNull();
  });

  it('takes any number of keys, excludes registered ones, numbers repeated model names and honours a chosen name', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const first = await registerKey(rp, user.id, await openTestKey());
    const second = await registerKey(rp, user.id, await openTestKey());
    const third = await registerKey(rp, user.id, await openTestKey({ profile: 'titanK52' }));
    const named = await registerKey(rp, user.id, await openTestKey(), {}, '  Spare in the drawer ');
    expect([first, second, third, named].map((c) => c.display_name)).toEqual([
      'YubiKey 5 Series',
      'YubiKey 5 Series (2)',
      'Google Titan Security Key v2',
      'Spare in the drawer',
    ]);
    const options = await rp.startKeyRegistration({ userId: user.id });
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([first.id, second.id, third.id, named.id]);
    await expectRefusal(
      rp.finishKeyRegistration({
        response: await createCredential(await openTestKey(), options),
        displayName: '\u0007bell',
      }),
      'display-name-invalid',
      /control characters/,
    );
  });

  it('refuses a key the account already has at the key itself (excludeCredentials)', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    await registerKey(rp, user.id, key);
    const options = await rp.startKeyRegistration({ userId: user.id });
    await expect(createCredential(key, options)).rejects.toThrow(/CREDENTIAL_EXCLUDED/);
  });

  it('signs in with the password alone while the account has no key', async () => {
    const { rp } = await openRp(await tempDir());
    await newAccount(rp);
    const step = await rp.signInWithPassword({ email: '  Alice@Example.COM ', password: Buffer.from(PASSWORD) });
    expect(step).toMatchObject({ status: 'signed-in', signedIn: { method: 'password', warnings: [] } });
  });

  it('renames a key and lists it under the new name', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const credential = await registerKey(rp, user.id, await openTestKey());
    const renamed = await rp.renameKey({ userId: user.id, credentialId: credential.id, displayName: 'Keyring' });
    expect(renamed.display_name).toBe('Keyring');
    expect(rp.listKeys(user.id).map((c) => c.display_name)).toEqual(['Keyring']);
    await expectRefusal(
      rp.renameKey({ userId: user.id, credentialId: credential.id, displayName: '' }),
      'display-name-invalid',
      /cannot be empty/,
    );
  });

  it('signs in WebAuthn-only with a discoverable key and no email, and with any key after typing the email', async () => {
    const { rp } = await openRp(await tempDir());
    await rp.updateSettings({ userVerification: 'required' });
    const { user } = await newAccount(rp);
    const secondFactorKey = await openTestKey({ pin: '1357' });
    await registerKey(rp, user.id, secondFactorKey);
    await rp.setWebAuthnOnly({ userId: user.id, enabled: true });
    const passkey = await openTestKey({ pin: '9753' });
    const discoverable = await registerKey(rp, user.id, passkey);
    expect(discoverable.is_passwordless).toBe(true);

    // A right password is answered as a wrong one: WebAuthn-only does not confirm it (docs/relying-party.md).
    await expectRefusal(
      rp.signInWithPassword({ email: EMAIL, password: PASSWORD }),
      'password-wrong',
      /^the email or password is wrong$/,
    );

    const usernameless = await rp.startPasswordlessSignIn();
    expect(usernameless.allowCredentials).toEqual([]);
    const viaHandle = await rp.finishKeySignIn({ response: await getAssertion(passkey, usernameless) });
    expect(viaHandle).toMatchObject({ method: 'key', user: { id: user.id }, key: { id: discoverable.id } });

    const withEmail = await rp.startPasswordlessSignIn({ email: EMAIL });
    expect(withEmail.allowCredentials).toHaveLength(2);
    const viaEmail = await rp.finishKeySignIn({ response: await getAssertion(secondFactorKey, withEmail) });
    expect(viaEmail.method).toBe('key');
  });

  it('refuses a regressed counter, flags the key, and keeps showing the flag on later sign-ins', async () => {
    const { rp } = await openRp(await tempDir());
    const { user } = await newAccount(rp);
    const key = await openTestKey();
    const credential = await registerKey(rp, user.id, key);
    await signInWithKey(rp, key);
    key.authenticator.rollbackSignCounter(1);
    await expectRefusal(
      signInWithKey(rp, key),
      'clone-warning',
      /signature counter \d+, not above the \d+ .* may have been cloned/,
    );
    expect(rp.listKeys(user.id)[0]!.authenticator.clone_warning).toBe(true);
    // The refused assertion moved the key's counter back to the stored value; the next one is above it again.
    const later = await signInWithKey(rp, key);
    expect(later.key?.id).toBe(credential.id);
    expect(later.warnings.map((w) => w.code)).toEqual(['clone-warning']);
  });
});
