import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OpenVault } from '../../../../src/main/services/vault/index.js';
import { appendFileDurably } from '../../../../src/main/store/appendFileDurably.js';
import { journalLine } from '../../../../src/main/vault/file/vaultJournal.js';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { openEntries } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { CHEAP } from '../slots/testVault.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../../..');
const vector = join(root, 'test/fixtures/vault/vector-v1.json');
const decryptor = join(root, 'scripts/decrypt-vault.mjs');
/** As written in test/fixtures/vault/README.md and docs/vault-format.md. */
const PASSWORD = 'vector password 1';
const RECOVERY_CODE = 'VCTR-2QJ7-M4XK-88PA';
const KEY = { credentialId: Buffer.alloc(32, 0x11), uv: true, output: Buffer.alloc(32, 0x22) };

async function decrypt(env: Record<string, string>, files: string[] = [vector]) {
  return run(process.execPath, [decryptor, ...files], { env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('the test vector', () => {
  it('the standalone decryptor prints its entries as 2FAuth JSON from the password', async () => {
    const expected = await readFile(join(root, 'test/fixtures/vault/vector-v1.entries.json'), 'utf8');
    const { stdout } = await decrypt({ LATCHKEY_PASSWORD: PASSWORD });
    expect(stdout).toBe(expected);
    expect(JSON.parse(stdout)).toMatchObject({ app: 'latchkey', schema: 1, data: expect.any(Array) });
  });

  it('the standalone decryptor opens it from the recovery code and the password', async () => {
    const expected = await readFile(join(root, 'test/fixtures/vault/vector-v1.entries.json'), 'utf8');
    const { stdout } = await decrypt({ LATCHKEY_PASSWORD: PASSWORD, LATCHKEY_RECOVERY_CODE: RECOVERY_CODE });
    expect(stdout).toBe(expected);
  });

  it('the standalone decryptor refuses a wrong password without echoing it', async () => {
    const error = await decrypt({ LATCHKEY_PASSWORD: 'vector password 2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1, stdout: '' });
    const { stderr } = error as { stderr: string };
    expect(stderr).toMatch(/the password does not open this vault/);
    expect(stderr).not.toContain('vector password 2');
  });

  it('Latchkey opens it with the password and with the documented key output, to the same entries', async () => {
    const body = await readVaultFile(vector);
    const byPassword = openEntries(await unlock(body, { password: PASSWORD }, { minArgon2: CHEAP }));
    const byKey = openEntries(await unlock(body, { keys: [KEY] }, { minArgon2: CHEAP }));
    expect(byPassword).toHaveLength(3);
    expect(byKey).toEqual(byPassword);
  });

  it('the app’s open vault reads its records as the entries the decryptor prints', async () => {
    const expected = JSON.parse(await readFile(join(root, 'test/fixtures/vault/vector-v1.entries.json'), 'utf8')) as {
      data: { service: string; otp_type: string }[];
    };
    const body = await readVaultFile(vector);
    const vault = await unlock(body, { password: PASSWORD }, { minArgon2: CHEAP });
    const open = OpenVault.open({
      file: join(root, 'never-written.json'),
      vault,
      clock: new HybridLogicalClock({ device: 'test' }),
    });
    expect(open.entries().map((e) => [e.service, e.otp_type])).toEqual(
      expected.data.map((e) => [e.service, e.otp_type]),
    );
    open.lock();
  });

  it('the standalone decryptor stays within the 150 lines the issue allows', async () => {
    const text = await readFile(decryptor, 'utf8');
    expect(text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length).toBeLessThanOrEqual(150);
  });

  it('the standalone decryptor applies a journal Latchkey left (a crash before the fold), as the app does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latchkey-vector-journal-'));
    try {
      const file = join(dir, 'vault.json');
      const journal = join(dir, 'vault.journal');
      await copyFile(vector, file);
      const vault = OpenVault.open({
        file,
        vault: await unlock(await readVaultFile(file), { password: PASSWORD }, { minArgon2: CHEAP }),
        clock: new HybridLogicalClock({ device: 'test' }),
        journal: {
          append: (header, records) => appendFileDurably(journal, journalLine(header, records)),
          // Never folded here: the journal stays, as a crash leaves it.
          foldAfterMs: 3_600_000,
          foldFailed: () => undefined,
        },
      });
      const find = (service: string) => vault.entries().find((e) => e.service === service)!.id;
      await vault.addEntry('otpauth://totp/Mail:ada?secret=KRUGKIDROVUWG2ZA&issuer=Mail');
      await vault.nextHotp(find('Bank'));
      await vault.nextHotp(find('Bank'));
      await vault.removeEntry(find('Steam'));
      expect(await readFile(file, 'utf8')).toBe(await readFile(vector, 'utf8'));

      const { stdout } = await decrypt({ LATCHKEY_PASSWORD: PASSWORD }, [file, journal]);
      const data = (JSON.parse(stdout) as { data: { service: string; counter: number | null }[] }).data;
      // What the app holds, in the decryptor's order (ids ascending).
      const expected = [...vault.entries()].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(data.map((e) => [e.service, e.counter])).toEqual(expected.map((e) => [e.service, e.counter]));
      expect(data.map((e) => e.service).sort()).toEqual(['Bank', 'GitHub', 'Mail']);
      expect(data.find((e) => e.service === 'Bank')!.counter).toBe(9);
      // The file alone still gives the vector's entries; a line cut short at the end is dropped.
      expect((await decrypt({ LATCHKEY_PASSWORD: PASSWORD }, [file])).stdout).toBe(
        await readFile(join(root, 'test/fixtures/vault/vector-v1.entries.json'), 'utf8'),
      );
      const lines = (await readFile(journal, 'utf8')).split('\n');
      await writeFile(journal, `${lines.join('\n')}{"epoch":1,"rec`);
      expect((await decrypt({ LATCHKEY_PASSWORD: PASSWORD }, [file, journal])).stdout).toBe(stdout);
      // A changed byte in a line before the last is damage, said as such.
      lines[1] = lines[1]!.replace('"deleted":false', '"deleted":true ');
      await writeFile(journal, lines.join('\n'));
      const error = await decrypt({ LATCHKEY_PASSWORD: PASSWORD }, [file, journal]).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/change 2 of the journal is damaged/),
      });
      vault.lock();
      await vault.settled();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
