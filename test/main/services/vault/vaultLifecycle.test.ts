// The vault through an account's life against virtual keys of four models under each UV policy: sign-up, one-touch
// sign-in, key registered, mode changes, a key revoked (its real output then opens no file), recovery, password change.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator, type VirtualProfileName } from '../../../../src/ctap/virtual/index.js';
import { loadVirtualKeyState, Session, VirtualKeyStateFile } from '../../../../src/main/services/index.js';
import { keyOutputOf, slotRequestOptions } from '../../../../src/main/services/vault/vaultKeyOutputs.js';
import { normalizeRecoveryCode } from '../../../../src/main/rp/recovery/recoveryCode.js';
import { bytes } from '../../../../src/main/vault/file/encodedBytes.js';
import { parseVaultFile } from '../../../../src/main/vault/file/vaultText.js';
import type { Fido2Slot } from '../../../../src/main/vault/slots/slotSchema.js';
import type { KeyOutput } from '../../../../src/main/vault/slots/slotKeys.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { setPin } from '../../../ctap/webauthn/support.js';
import { CHEAP } from '../../vault/slots/testVault.js';
import { scriptedPerson } from './scriptedPerson.js';
import { vaultBody, vaultFiles } from './vaultOnDisk.js';

const PIN = '4711';
const EMAIL = 'ada@example.com';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-life-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function virtualKey(file: string, profile: VirtualProfileName, pin: boolean): Promise<void> {
  const key = new VirtualAuthenticator({ profile });
  if (pin) await setPin(key, PIN);
  await new VirtualKeyStateFile(file, key).saveIfChanged();
}

async function setPinLater(file: string): Promise<void> {
  const state = await loadVirtualKeyState(file);
  const key = new VirtualAuthenticator({ ...(state ? { state } : {}) });
  await setPin(key, PIN);
  await new VirtualKeyStateFile(file, key).saveIfChanged();
}

function liveSlots(body: Awaited<ReturnType<typeof vaultBody>>) {
  return Object.values(body.slots).filter((s) => !s.deleted);
}

function keySlots(body: Awaited<ReturnType<typeof vaultBody>>): Fido2Slot[] {
  return liveSlots(body).filter((s): s is Fido2Slot => s.type === 'fido2-hmac-secret');
}

const PROFILES: VirtualProfileName[] = ['yubikey5', 'ctap21pre', 'ctap22', 'u2fOnly'];
const POLICIES = ['required', 'preferred', 'discouraged'] as const;

describe.each(PROFILES)('the vault on a %s key', (profile) => {
  const hmac = profile !== 'u2fOnly';

  it.each(POLICIES)('follows the account under the %s UV policy', async (policy) => {
    const dataDir = join(dir, `${profile}-${policy}`);
    const keyA = join(dir, `${profile}-${policy}-a.json`);
    const keyB = join(dir, `${profile}-${policy}-b.json`);
    await virtualKey(keyA, profile, hmac);
    await virtualKey(keyB, profile, hmac);
    const who = scriptedPerson({ 'new-password': 'first password 1', password: 'first password 1', pin: PIN });
    const warnings: string[] = [];
    const open = (virtualKeyFile: string) =>
      Session.open({
        dataDir,
        virtualKey: virtualKeyFile,
        prompter: who.prompter,
        env: { WEBAUTHN_USER_VERIFICATION: policy },
        vault: { kdf: CHEAP, minArgon2: CHEAP },
        onWarning: (w) => warnings.push(w.message),
      });
    const a = await open(keyA);
    const b = await open(keyB);
    try {
      // Sign-up makes the vault: the password slot and the recovery slot.
      const { user, recoveryCode } = await a.signUp({ email: EMAIL });
      let body = await vaultBody(dataDir, user.id);
      expect(body.mode).toBe('password-or-key');
      expect(
        liveSlots(body)
          .map((s) => s.type)
          .sort(),
      ).toEqual(['password', 'recovery']);

      // The password alone (no key yet) opens it; the first key gets its slot and turns it password-and-key.
      await a.signIn();
      expect((await a.vault()).current.body.vault).toBe(body.vault);
      await (await a.vault()).addEntry('otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
      if (!hmac && policy === 'required') {
        // A U2F key cannot verify the user: under this policy its registration is refused, and the vault is untouched.
        await expect(a.addKey({ displayName: 'A' })).rejects.toThrow();
        expect(a.listKeys()).toEqual([]);
        expect(keySlots(await vaultBody(dataDir, user.id))).toEqual([]);
        expect((await a.vault()).entries()).toHaveLength(1);
        return;
      }
      await a.addKey({ displayName: 'A' });
      body = await vaultBody(dataDir, user.id);
      expect(keySlots(body)).toHaveLength(hmac ? 1 : 0);
      expect(body.mode).toBe(hmac ? 'password-and-key' : 'password-or-key');

      // One touch: the password and the key sign in and open the vault, no extra touch.
      a.lock();
      const before = who.extraTouches();
      await a.signIn();
      expect((await a.vault()).current.body.vault).toBe(body.vault);
      expect(who.extraTouches()).toBe(before);

      if (!hmac) {
        expect((await a.vault()).entries()).toHaveLength(1);
        // Key-only would leave the vault with no way in (the key has no hmac-secret): both guards refuse it.
        await expect(a.setSignInMode('key-only')).rejects.toThrow();
        expect((await vaultBody(dataDir, user.id)).mode).toBe('password-or-key');
        return;
      }

      // password-or-key: the key's slot takes the whole master key (one touch), and the key alone opens it.
      await a.setSignInMode('password-or-key');
      body = await vaultBody(dataDir, user.id);
      expect(body.mode).toBe('password-or-key');
      a.lock();
      await a.signIn({ prefer: 'key' });
      expect(a.signedIn?.method).toBe('key');
      expect((await a.vault()).current.body.vault).toBe(body.vault);
      // A key asked without UV at registration (discouraged) had its slot healed to the key-alone UV state.
      expect(keySlots(await vaultBody(dataDir, user.id)).every((s) => s.uv)).toBe(true);

      // A second key, registered from another desktop session signed in with the password alone.
      await b.signIn({ prefer: 'password' });
      await b.addKey({ displayName: 'B' });
      body = await vaultBody(dataDir, user.id);
      expect(keySlots(body)).toHaveLength(2);

      // Key-only: the password slot goes, so the password alone no longer opens the file.
      await a.setSignInMode('key-only');
      body = await vaultBody(dataDir, user.id);
      expect(body.mode).toBe('key-only');
      expect(liveSlots(body).some((s) => s.type === 'password')).toBe(false);
      await expect(unlock(body, { password: who.answers.password! }, { minArgon2: CHEAP })).rejects.toThrow(
        /security key/,
      );
      b.lock();
      await b.signIn();
      expect((await b.vault()).current.body.vault).toBe(body.vault);

      // Revoke A: first its real output for its slot, then after revocation no file opens with it.
      const slotA = keySlots(body).find(
        (s) => a.listKeys().find((k) => k.display_name === 'A')!.id === bytes(s.credentialId).toString('base64url'),
      )!;
      const outputA = keyOutputOf(
        await a.get(
          slotRequestOptions(
            { credentialId: bytes(slotA.credentialId), salt: bytes(slotA.salt), uv: slotA.uv },
            a.rp.settings().rp_id,
          ),
        ),
      ) as KeyOutput;
      expect(outputA).toBeDefined();
      expect((await unlock(body, { keys: [outputA] }, { minArgon2: CHEAP })).master).toHaveLength(32);
      const idA = b.listKeys().find((k) => k.display_name === 'A')!.id;
      await b.revokeKey({ credentialId: idA, confirmed: true });
      const files = await vaultFiles(dataDir, user.id);
      expect(files.length).toBeGreaterThan(1);
      for (const file of files) {
        const copy = parseVaultFile(await readFile(file));
        await expect(unlock(copy, { keys: [outputA] }, { minArgon2: CHEAP }), file).rejects.toThrow();
      }

      // Recovery: the password and the code open the vault, B's slot goes, A (registered again) gets one.
      who.answers['recovery-code'] = recoveryCode;
      const recovered = await a.recover({ email: EMAIL });
      expect(recovered.revoked.length).toBeGreaterThan(0);
      expect(warnings).toEqual([]);
      body = await vaultBody(dataDir, user.id);
      expect(keySlots(body)).toHaveLength(1);
      const newCode = recovered.recoveryCode;
      const code = Buffer.from(normalizeRecoveryCode(newCode));
      expect(
        (await unlock(body, { password: who.answers.password!, recoveryCode: code }, { minArgon2: CHEAP })).master,
      ).toHaveLength(32);

      // Password change: only the current password; the new one opens the vault, the old one nothing.
      who.answers['new-password'] = 'second password 2';
      await a.changePassword();
      const old = who.answers.password!;
      who.answers.password = 'second password 2';
      body = await vaultBody(dataDir, user.id);
      a.lock();
      await a.signIn();
      expect((await a.vault()).current.body.vault).toBe(body.vault);
      await expect(unlock(body, { password: old, keys: [] }, { minArgon2: CHEAP })).rejects.toThrow();
      // The entry added at the start came through every change of slots and modes.
      expect((await a.vault()).entries().map((e) => e.service)).toEqual(['GitHub']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('a PIN set after the key got its slot', () => {
  it('still opens the vault with one extra touch, and the slot heals to the new UV state', async () => {
    const dataDir = join(dir, 'pin-later');
    const keyFile = join(dir, 'pin-later-key.json');
    await virtualKey(keyFile, 'yubikey5', false);
    const who = scriptedPerson({ 'new-password': 'first password 1', password: 'first password 1', pin: PIN });
    const options = {
      dataDir,
      virtualKey: keyFile,
      prompter: who.prompter,
      env: { WEBAUTHN_USER_VERIFICATION: 'preferred' },
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: () => undefined,
    };
    let session = await Session.open(options);
    const { user } = await session.signUp({ email: EMAIL });
    await session.signIn();
    await session.addKey();
    expect(keySlots(await vaultBody(dataDir, user.id)).map((s) => s.uv)).toEqual([false]);
    await session.close();

    await setPinLater(keyFile);
    session = await Session.open(options);
    try {
      const before = who.extraTouches();
      await session.signIn();
      expect((await session.vault()).current.body.mode).toBe('password-and-key');
      expect(who.extraTouches()).toBe(before + 1);
      expect(keySlots(await vaultBody(dataDir, user.id)).map((s) => s.uv)).toEqual([true]);
      session.lock();
      await session.signIn();
      expect(who.extraTouches()).toBe(before + 1);
    } finally {
      await session.close();
    }
  });
});
