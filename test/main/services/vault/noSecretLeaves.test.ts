// No secret leaves: after a whole life of an account and its vault, the password, recovery code, PIN, TOTP secret,
// master key and a key's hmac-secret output appear in no file of the data folder, no warning, no error message and no
// result a front end gets (other than the explicit reveal).

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { Session, VirtualKeyStateFile } from '../../../../src/main/services/index.js';
import { keyOutputOf, slotRequestOptions } from '../../../../src/main/services/vault/vaultKeyOutputs.js';
import { OPEN_CACHE_SLACK } from '../../../../src/main/services/vault/OpenVault.js';
import { setPin } from '../../../ctap/webauthn/support.js';
import { TestKeychain } from '../../../support/testKeychain.js';
import { CHEAP } from '../../vault/slots/testVault.js';
import { scriptedPerson } from './scriptedPerson.js';

const PASSWORD = 'leak-check password 1';
const NEW_PASSWORD = 'leak-check password 2';
const PIN = '90210';
const TOTP_SECRET = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BAN5SSA3DBPJ4SAZDPM4';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-no-leak-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every spelling a secret could take in text: as is, hex, base64, base64url, and without the code's dashes. */
function spellings(secret: string | Uint8Array): string[] {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  const out = [bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
  if (typeof secret === 'string') out.push(secret, secret.replace(/-/g, ''));
  return out.filter((s) => s.length >= 8);
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(root)) {
    const path = join(root, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('secrets stay in', () => {
  it('appear in no file, warning, error or result after a whole lifecycle', async () => {
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'key.json');
    const key = new VirtualAuthenticator({ profile: 'yubikey5' });
    await setPin(key, PIN);
    await new VirtualKeyStateFile(keyFile, key).saveIfChanged();
    const { prompter, answers } = scriptedPerson({ 'new-password': PASSWORD, password: PASSWORD, pin: PIN });
    const said: string[] = [];
    const session = await Session.open({
      dataDir,
      virtualKey: keyFile,
      prompter,
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: (w) => said.push(w.message),
    });
    const secrets: (string | Uint8Array)[] = [PASSWORD, NEW_PASSWORD, PIN, TOTP_SECRET];
    try {
      const { recoveryCode } = await session.signUp({ email: 'ada@example.com' });
      secrets.push(recoveryCode);
      await session.signIn();
      const record = await session.addKey({ displayName: 'Key' });
      session.lock();
      await session.signIn();
      const vault = await session.vault();
      secrets.push(Buffer.from(vault.current.master));
      const added = await vault.addEntry(`otpauth://totp/Mail:ada?secret=${TOTP_SECRET}&issuer=Mail`);
      said.push(JSON.stringify(added), JSON.stringify(vault.entries()), JSON.stringify(vault.codes()));
      // The entry is in the journal until the fold: its bytes are scanned as they were then.
      const journal = await readFile(join(dataDir, 'journal', (await readdir(join(dataDir, 'journal')))[0]!), 'latin1');
      expect(journal.split('\n')).toHaveLength(2);
      said.push(journal);
      // Enough entries for the open cache to be written, the TOTP secret's entry in it.
      await vault.importEntries(
        Array.from({ length: OPEN_CACHE_SLACK + 1 }, (_, i) => ({
          input: { service: `Service ${i}`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
          groups: [],
        })),
      );
      await vault.settled();
      expect((await readdir(join(dataDir, 'cache'))).filter((name) => name.endsWith('.open-cache'))).toHaveLength(1);
      said.push(JSON.stringify(session.listKeys()), JSON.stringify(session.account()));
      const revealed = JSON.stringify(vault.revealSecret(added.entry.id));
      // The key's real hmac-secret output for its slot.
      const slot = Object.values(vault.current.body.slots).find((s) => s.type === 'fido2-hmac-secret' && !s.deleted);
      if (!slot || slot.deleted || slot.type !== 'fido2-hmac-secret') throw new Error('no key slot');
      const output = keyOutputOf(
        await session.get(
          slotRequestOptions(
            {
              credentialId: Buffer.from(record.id, 'base64url'),
              salt: Buffer.from(slot.salt, 'base64'),
              uv: slot.uv,
            },
            session.rp.settings().rp_id,
          ),
        ),
      );
      if (!output) throw new Error('no output');
      secrets.push(Buffer.from(output.output));

      await session.setSignInMode('password-or-key');
      answers['new-password'] = NEW_PASSWORD;
      await session.changePassword();
      answers.password = 'a wrong password';
      session.lock();
      const errors: string[] = [];
      await session.signIn({ prefer: 'password' }).catch((e: unknown) => errors.push(String(e), JSON.stringify(e)));
      answers.password = NEW_PASSWORD;
      // A damaged vault's message.
      const vaultsDir = join(dataDir, 'vaults');
      const vaultPath = join(
        vaultsDir,
        (await readdir(vaultsDir)).find((n) => n.endsWith('.json'))!,
      );
      const bytes = await readFile(vaultPath);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 200) ^ 0x04, bytes.length - 200);
      await writeFile(vaultPath, bytes);
      await session.signIn({ prefer: 'password' });
      await session.vault().catch((e: unknown) => errors.push(String(e), JSON.stringify(e)));
      expect(errors.join('\n')).toMatch(/password is wrong[\s\S]*damaged/);

      const texts = [...said, ...errors];
      for (const path of await filesUnder(dataDir)) texts.push(`${path}\n${await readFile(path, 'latin1')}`);
      const haystack = texts.join('\n');
      for (const secret of secrets)
        for (const spelling of spellings(secret))
          expect(haystack.includes(spelling), `a secret spelled ${spelling.length} characters long leaked`).toBe(false);
      // The scan finds what is there: the explicit reveal does hold the TOTP secret.
      expect(spellings(TOTP_SECRET).some((spelling) => revealed.includes(spelling))).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('the slot keys an OS keychain sealed for a key without hmac-secret appear in no file or warning', async () => {
    const dataDir = join(dir, 'keychain-data');
    const keyFile = join(dir, 'u2f.json');
    await new VirtualKeyStateFile(keyFile, new VirtualAuthenticator({ profile: 'u2fOnly' })).saveIfChanged();
    const { prompter } = scriptedPerson({ 'new-password': PASSWORD, password: PASSWORD });
    const said: string[] = [];
    const keychain = new TestKeychain();
    const session = await Session.open({
      dataDir,
      virtualKey: keyFile,
      prompter,
      vault: { kdf: CHEAP, minArgon2: CHEAP },
      onWarning: (w) => said.push(w.message),
      osKeychain: keychain,
    });
    try {
      await session.signUp({ email: 'ada@example.com' });
      await session.signIn();
      await session.addKey({ displayName: 'U2F' });
      // Four slot keys: the first key's slot is made in the vault's old shape and again in password-and-key's, then a
      // mode change there and back makes it twice more, each time with a new slot key.
      await session.setSignInMode('password-or-key');
      await session.setSignInMode('password-and-key');
      session.lock();
      await session.signIn();
      const vault = await session.vault();
      said.push(JSON.stringify(session.listKeys()), JSON.stringify([...(await session.vaultKeyWays())]));
      expect(keychain.everSealed).toHaveLength(4);
      const secrets = [...keychain.everSealed, Buffer.from(vault.current.master)];
      const texts = [...said];
      for (const path of await filesUnder(dataDir)) texts.push(`${path}\n${await readFile(path, 'latin1')}`);
      const haystack = texts.join('\n');
      for (const secret of secrets)
        for (const spelling of spellings(secret))
          expect(haystack.includes(spelling), `a slot key spelled ${spelling.length} characters long leaked`).toBe(
            false,
          );
    } finally {
      await session.close();
    }
  });
});
