// A key without hmac-secret (the virtual key's u2fOnly profile) through an account's life with an OS keychain (the
// desktop app): its os-keychain slot is made at registration with a warning, opens the vault with the sign-in's one
// touch, follows mode changes, is refused in the command line with one sentence, is replaced by recovery, and goes
// with revocation from the vault and every backup.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { RelyingPartyError } from '../../../../src/main/rp/index.js';
import { Session, VirtualKeyStateFile } from '../../../../src/main/services/index.js';
import { parseVaultFile } from '../../../../src/main/vault/file/vaultText.js';
import { lockoutReason } from '../../../../src/main/vault/slots/lockoutGuard.js';
import type { OsKeychainSlot } from '../../../../src/main/vault/slots/slotSchema.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { TestKeychain } from '../../../support/testKeychain.js';
import { CHEAP } from '../../vault/slots/testVault.js';
import { scriptedPerson } from './scriptedPerson.js';
import { vaultBody, vaultFiles } from './vaultOnDisk.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'keychain password 1';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-keychain-life-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function keychainSlots(body: Awaited<ReturnType<typeof vaultBody>>): OsKeychainSlot[] {
  return Object.values(body.slots).filter((s): s is OsKeychainSlot => !s.deleted && s.type === 'os-keychain');
}

describe('a key without hmac-secret and the OS keychain', () => {
  it('opens the vault through an os-keychain slot from registration to revocation', async () => {
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'u2f.json');
    await new VirtualKeyStateFile(keyFile, new VirtualAuthenticator({ profile: 'u2fOnly' })).saveIfChanged();
    const who = scriptedPerson({ 'new-password': PASSWORD, password: PASSWORD });
    const keychain = new TestKeychain();
    const warnings: string[] = [];
    const options = {
      dataDir,
      virtualKey: keyFile,
      prompter: who.prompter,
      env: { WEBAUTHN_USER_VERIFICATION: 'preferred' },
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: (w: { message: string }) => warnings.push(w.message),
    };
    const desktop = await Session.open({ ...options, osKeychain: keychain });
    const cli = await Session.open(options);
    try {
      const { user, recoveryCode } = await desktop.signUp({ email: EMAIL });
      await desktop.signIn();
      await (await desktop.vault()).addEntry('otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');

      // Registration: the slot is made without another touch, the vault turns password-and-key, and a warning says
      // the key opens it through the keychain, which is weaker.
      const touchesBefore = who.extraTouches();
      const record = await desktop.addKey({ displayName: 'U2F' });
      expect(record.hmac_secret).toBe(false);
      expect(who.extraTouches()).toBe(touchesBefore);
      expect(warnings).toEqual([expect.stringMatching(/opens the vault through the OS keychain, which is weaker/)]);
      let body = await vaultBody(dataDir, user.id);
      expect(body.mode).toBe('password-and-key');
      const [slot] = keychainSlots(body);
      expect(slot).toMatchObject({ share: 'key-share' });
      expect(Buffer.from(slot!.credentialId, 'base64').toString('base64url')).toBe(record.id);
      expect([...(await desktop.vaultKeyWays())]).toEqual([[record.id, 'os-keychain']]);

      // Sign out, sign in with the password and the key: the vault opens with the sign-in's touch alone.
      desktop.lock();
      const opened = keychain.openedCount;
      await desktop.signIn();
      expect((await desktop.vault()).entries().map((e) => e.service)).toEqual(['GitHub']);
      expect(who.extraTouches()).toBe(touchesBefore);
      expect(keychain.openedCount).toBe(opened + 1);

      // Key-only: the vault's guard would let it through (the slot is a way in), but the relying party refuses, since
      // a U2F key cannot verify the user and a key alone signs in only with that. The vault stays as it is.
      expect(lockoutReason('key-only', body.slots)).toBeUndefined();
      await expect(desktop.setSignInMode('key-only')).rejects.toThrow(RelyingPartyError);
      expect((await vaultBody(dataDir, user.id)).mode).toBe('password-and-key');

      // The command line has no keychain: signed in, the vault locked, with one sentence.
      await cli.signIn();
      await expect(cli.vault()).rejects.toThrow(
        'The vault is locked: This key opens the vault through the OS keychain, so the vault opens in the desktop app only.',
      );

      // A mode change reshapes the slot: password-or-key wraps the whole master key under a new slot key.
      await desktop.setSignInMode('password-or-key');
      body = await vaultBody(dataDir, user.id);
      expect(body.mode).toBe('password-or-key');
      expect(keychainSlots(body)).toEqual([expect.objectContaining({ share: 'master' })]);
      expect(keychainSlots(body)[0]!.sealed).not.toBe(slot!.sealed);
      await desktop.setSignInMode('password-and-key');

      // Recovery replaces it: the new key (registered again) gets its own os-keychain slot, the old one is gone.
      who.answers['recovery-code'] = recoveryCode;
      const recovered = await desktop.recover({ email: EMAIL });
      body = await vaultBody(dataDir, user.id);
      const newId = recovered.signedIn.key!.id;
      expect(newId).not.toBe(record.id);
      expect(keychainSlots(body).map((s) => Buffer.from(s.credentialId, 'base64').toString('base64url'))).toEqual([
        newId,
      ]);
      expect(warnings.at(-1)).toMatch(/OS keychain, which is weaker/);
      desktop.lock();
      await desktop.signIn();
      expect((await desktop.vault()).entries()).toHaveLength(1);
      // Another write of the whole file (the entry journaled, then folded), so that a backup holds the new slot too.
      const vault = await desktop.vault();
      await vault.addEntry('otpauth://totp/Mail:ada?secret=KRUGKIDROVUWG2ZA&issuer=Mail');
      await vault.settled();

      // Revocation: the slot goes from the vault and from every backup; the keychain no longer opens any of them.
      const before = await vaultFiles(dataDir, user.id);
      const holding = [];
      for (const file of before) {
        const text = await readFile(file, 'utf8');
        if (text.includes(Buffer.from(newId, 'base64url').toString('base64'))) holding.push(file);
      }
      expect(holding.length).toBeGreaterThan(1);
      await desktop.revokeKey({ credentialId: newId, confirmed: true });
      const newKey = Buffer.from(newId, 'base64url');
      for (const file of await vaultFiles(dataDir, user.id)) {
        const copy = parseVaultFile(await readFile(file));
        expect(keychainSlots(copy), file).toEqual([]);
        await expect(unlock(copy, { verifiedKeys: [newKey], keychain }, { minArgon2: CHEAP }), file).rejects.toThrow();
      }
      expect(await desktop.vaultKeyWays()).toEqual(new Map());
      expect((await desktop.vault()).entries()).toHaveLength(2);
    } finally {
      await desktop.close();
      await cli.close();
    }
  });

  it('without a keychain keeps the old behaviour: no slot, and a warning that says where it would get one', async () => {
    const dataDir = join(dir, 'cli-only');
    const keyFile = join(dir, 'cli-u2f.json');
    await new VirtualKeyStateFile(keyFile, new VirtualAuthenticator({ profile: 'u2fOnly' })).saveIfChanged();
    const who = scriptedPerson({ 'new-password': PASSWORD, password: PASSWORD });
    const warnings: string[] = [];
    const session = await Session.open({
      dataDir,
      virtualKey: keyFile,
      prompter: who.prompter,
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: (w) => warnings.push(w.message),
    });
    try {
      const { user } = await session.signUp({ email: EMAIL });
      await session.signIn();
      await session.addKey();
      expect(keychainSlots(await vaultBody(dataDir, user.id))).toEqual([]);
      expect(warnings).toEqual([expect.stringMatching(/cannot unlock the vault \(registered in the desktop app/)]);
    } finally {
      await session.close();
    }
  });
});
