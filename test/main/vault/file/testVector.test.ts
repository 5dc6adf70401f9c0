import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OpenVault } from '../../../../src/main/services/vault/index.js';
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

async function decrypt(env: Record<string, string>) {
  return run(process.execPath, [decryptor, vector], { env: { PATH: process.env.PATH ?? '', ...env } });
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
});
