// The journal as the app and the CLI use it: a change is durable in the journal before the vault file holds it, the
// fold writes the file and removes the journal, a crash leaves it to the next sign-in, two writers never lose a change.

import { appendFile, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAuthenticator } from '../../../../src/ctap/virtual/index.js';
import { Session, VaultChangedError, VirtualKeyStateFile } from '../../../../src/main/services/index.js';
import { readVaultContent } from '../../../../src/main/services/vault/vaultRecords.js';
import { accountJournalFile, accountVaultFile } from '../../../../src/main/services/vault/vaultPlace.js';
import { parseVaultFile } from '../../../../src/main/vault/file/vaultText.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP } from '../../vault/slots/testVault.js';
import { scriptedPerson } from './scriptedPerson.js';

const PASSWORD = 'journal password 1';
const EMAIL = 'ada@example.com';
const GITHUB = 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP&issuer=GitHub';
const MAIL = 'otpauth://totp/Mail:ada?secret=KRUGKIDROVUWG2ZA&issuer=Mail';
const BANK = 'otpauth://hotp/Bank:ada?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&counter=0';
const SHOP = 'otpauth://totp/Shop:ada?secret=MFRGGZDFMZTWQ2LK&issuer=Shop';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-journal-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A data folder with a password account, and a way to open sessions on it (the app and the CLI are two of them). */
async function account(name: string) {
  const dataDir = join(dir, name);
  const keyFile = join(dir, `${name}-key.json`);
  await new VirtualKeyStateFile(keyFile, new VirtualAuthenticator({ profile: 'yubikey5' })).saveIfChanged();
  const who = scriptedPerson({ 'new-password': PASSWORD, password: PASSWORD });
  const warnings: string[] = [];
  const open = () =>
    Session.open({
      dataDir,
      virtualKey: keyFile,
      prompter: who.prompter,
      // Folded only when asked (settled, lock): each test says when the file catches up.
      vault: { kdf: CHEAP, minArgon2: CHEAP, journalFoldMs: 3_600_000 },
      onWarning: (w) => warnings.push(w.message),
    });
  const first = await open();
  const { user } = await first.signUp({ email: EMAIL });
  await first.close();
  const file = accountVaultFile(dataDir, user.id);
  const journal = accountJournalFile(dataDir, user.id);
  /** The services of the entries the vault file itself holds (the journal not applied), opened with the password. */
  const inFile = async () => {
    const vault = await unlock(parseVaultFile(await readFile(file)), { password: PASSWORD }, { minArgon2: CHEAP });
    return [...readVaultContent(vault).entries.values()].map((e) => e.service).sort();
  };
  const journalExists = () =>
    readFile(journal).then(
      () => true,
      () => false,
    );
  return { dataDir, open, file, journal, inFile, journalExists, warnings };
}

/**
 * A crash of `session`: the vault file and journal as they are now are put back after it closed (which folded the
 * journal), as if it had been killed before the fold. Returns where the journal's bytes are kept.
 */
async function crash(a: Awaited<ReturnType<typeof account>>, session: Session, name: string): Promise<string> {
  const [file, journal] = [join(dir, `${name}-file`), join(dir, `${name}-journal`)];
  await copyFile(a.file, file);
  await copyFile(a.journal, journal);
  await session.close();
  await copyFile(file, a.file);
  await copyFile(journal, a.journal);
  return journal;
}

async function signedIn(open: () => Promise<Session>): Promise<Session> {
  const session = await open();
  await session.signIn();
  return session;
}

const services = (session: Session) =>
  session.vault().then((v) =>
    v
      .entries()
      .map((e) => e.service)
      .sort(),
  );

describe('the vault journal', () => {
  it('makes a change durable before the file holds it; the fold writes the file and removes the journal', async () => {
    const a = await account('fold');
    const app = await signedIn(a.open);
    const vault = await app.vault();
    await vault.addEntry(GITHUB);
    await vault.addEntry(BANK);
    const bank = vault.entries().find((e) => e.service === 'Bank')!;
    const code = await vault.nextHotp(bank.id);
    expect(code.usedCounter).toBe(0);
    // Acknowledged, and only in the journal so far.
    expect(await a.journalExists()).toBe(true);
    expect(await a.inFile()).toEqual([]);
    await vault.settled();
    expect(await a.journalExists()).toBe(false);
    expect(await a.inFile()).toEqual(['Bank', 'GitHub']);
    // The fold made the file's backup too, which it did not have before the journal existed.
    expect((await readdir(join(a.dataDir, 'vaults'))).some((n) => n.endsWith('.bak-1'))).toBe(true);

    // Locking folds what the journal holds (no key needed: the records are sealed); close waits for it.
    await (await app.vault()).addEntry(MAIL);
    app.lock();
    await app.close();
    expect(await a.journalExists()).toBe(false);
    expect(await a.inFile()).toEqual(['Bank', 'GitHub', 'Mail']);
    expect(a.warnings).toEqual([]);
  });

  it('after a crash the next sign-in applies the journal (an HOTP counter included), drops a cut line, and folds it', async () => {
    const a = await account('crash');
    const app = await signedIn(a.open);
    const vault = await app.vault();
    await vault.addEntry(BANK);
    const bank = vault.entries()[0]!;
    await vault.nextHotp(bank.id);
    await vault.nextHotp(bank.id);
    await vault.addEntry(GITHUB);
    // The crash: the fold never ran, and half a line that an append did not finish.
    await crash(a, app, 'crash');
    await appendFile(a.journal, '{"epoch":1,"records":{"0a0a0a0a-');
    expect(await a.inFile()).toEqual([]);

    const next = await signedIn(a.open);
    expect(await services(next)).toEqual(['Bank', 'GitHub']);
    // Two codes were shown before the crash: the next one is the third, never one shown already.
    expect((await (await next.vault()).nextHotp(bank.id)).usedCounter).toBe(2);
    // The sign-in wrote the journal's changes into the file and removed it.
    expect(await a.inFile()).toEqual(['Bank', 'GitHub']);
    await next.close();
    expect(a.warnings).toEqual([]);
  });

  it('a damaged journal is applied up to the damage, kept aside, and said; the vault still opens', async () => {
    const a = await account('damaged');
    const app = await signedIn(a.open);
    const vault = await app.vault();
    await vault.addEntry(GITHUB);
    await vault.addEntry(MAIL);
    // A crash, with the journal's bytes then damaged on disk.
    const saved = await crash(a, app, 'damaged');
    const lines = (await readFile(saved, 'latin1')).split('\n');
    // One byte of the second change's ciphertext changed.
    const at = lines[1]!.indexOf('"ciphertext":"') + 20;
    lines[1] = lines[1]!.slice(0, at) + (lines[1]![at] === 'A' ? 'B' : 'A') + lines[1]!.slice(at + 1);
    await writeFile(a.journal, lines.join('\n'), 'latin1');

    const next = await signedIn(a.open);
    expect(await services(next)).toEqual(['GitHub']);
    expect(a.warnings).toEqual([
      expect.stringMatching(
        /journal of recent changes could not be applied in full \(change 2 is damaged: it does not match its digest/,
      ),
    ]);
    const aside = (await readdir(join(a.dataDir, 'journal'))).filter((n) => n.includes('.unapplied-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(a.dataDir, 'journal', aside[0]!), 'latin1')).toBe(lines.join('\n'));
    expect(await a.journalExists()).toBe(false);
    await next.close();
  });

  it('two writers (the app and a command): each sees the other’s journaled changes, and none is lost', async () => {
    const a = await account('two');
    const app = await signedIn(a.open);
    await (await app.vault()).addEntry(GITHUB);

    // The command signs in while the app's change is only in the journal: it sees it, and writes it into the file.
    const cli = await signedIn(a.open);
    expect(await services(cli)).toEqual(['GitHub']);
    expect(await a.inFile()).toEqual(['GitHub']);
    await (await cli.vault()).addEntry(MAIL);

    // The app's next operation starts from the file and the journal as the command left them.
    const appVault = await app.vault();
    expect(await services(app)).toEqual(['GitHub', 'Mail']);
    await appVault.addEntry(SHOP);

    // The command's next operation sees the app's change; one made on an older state than the app's last is refused.
    const held = await cli.vault();
    expect(held.entries().map((e) => e.service)).toContain('Shop');
    await appVault.addEntry(BANK);
    await expect(held.addEntry('otpauth://totp/Late:ada?secret=NBSWY3DPEB3W64TMMQ======&issuer=Late')).rejects.toThrow(
      VaultChangedError,
    );

    // The command ends: its fold finds the app's later change and leaves the journal to the app, which folds it.
    await cli.close();
    await app.close();
    expect(await a.journalExists()).toBe(false);
    expect(await a.inFile()).toEqual(['Bank', 'GitHub', 'Mail', 'Shop']);
    expect(a.warnings).toEqual([]);
  });
});
