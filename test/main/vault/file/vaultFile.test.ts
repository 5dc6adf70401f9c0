import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonText } from '../../../../src/main/vault/crypto/canonicalJson.js';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { VaultVersionError } from '../../../../src/main/vault/errors/VaultVersionError.js';
import { deleteEntry, openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import { parseVaultFile, vaultFileBytes } from '../../../../src/main/vault/file/vaultText.js';
import { addSlot } from '../../../../src/main/vault/slots/addSlot.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { createHash } from 'node:crypto';
import { TestKeychain } from '../../../support/testKeychain.js';
import { CHEAP, entryJson, PASSWORD, testVault } from '../slots/testVault.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function withChecksum(raw: Record<string, unknown>): Buffer {
  const { checksum: _drop, ...body } = raw;
  const checksum = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return Buffer.from(canonicalJsonText({ ...body, checksum }));
}

describe('the vault file', () => {
  it('round-trips through the atomic writer, keeping the previous version as a backup', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-'));
    const file = join(dir, 'vault.json');
    const t = await testVault('password-or-key');
    await writeVaultFile(file, t.vault.body);
    const changed = putEntry(
      t.vault,
      { id: '00000000-0000-4000-8000-0000000000aa', data: entryJson('new') },
      t.clock.tick(),
    );
    await writeVaultFile(file, changed.body);
    const read = await readVaultFile(file);
    expect(Object.keys(read.entries)).toHaveLength(3);
    expect(Object.keys(parseVaultFile(await readFile(`${file}.bak-1`)).entries)).toHaveLength(2);
    expect(openEntries(await unlock(read, { password: PASSWORD }, { minArgon2: CHEAP }))).toHaveLength(3);
  });

  it('writes tombstones that keep the clock and drop the content', async () => {
    const t = await testVault('password-or-key');
    const id = '00000000-0000-4000-8000-000000000000';
    const deleted = deleteEntry(t.vault, id, t.clock.tick());
    expect(deleted.body.entries[id]!.deleted).toBe(true);
    expect(openEntries(deleted).map((e) => e.id)).not.toContain(id);
  });

  it('binds each entry to its vault: an entry moved into another vault is damage', async () => {
    const a = await testVault('password-or-key');
    const b = await testVault('password-or-key');
    const moved = { ...b.vault, body: { ...b.vault.body, entries: a.vault.body.entries } };
    expect(() => openEntries(moved)).toThrow(VaultDamagedError);
    expect(() => openEntries(moved)).toThrow(/entry 00000000-0000-4000-8000-000000000000 fails its authentication tag/);
  });

  it('refuses a newer format version with a sentence, and a damaged version number as damage', async () => {
    const t = await testVault('password-or-key');
    const raw = JSON.parse(vaultFileBytes(t.vault.body).toString()) as Record<string, unknown>;
    const newer = withChecksum({ ...raw, version: 2 });
    expect(() => parseVaultFile(newer)).toThrow(VaultVersionError);
    expect(() => parseVaultFile(newer)).toThrow(/format version 2, and this Latchkey reads version 1 at most: upgrade/);
    const bumped = Buffer.from(vaultFileBytes(t.vault.body).toString().replace('"version": 1', '"version": 2'));
    expect(() => parseVaultFile(bumped)).toThrow(VaultDamagedError);
  });

  it('refuses a file whose layout is not canonical, even with a matching checksum', async () => {
    const t = await testVault('password-or-key');
    const text = vaultFileBytes(t.vault.body).toString();
    expect(() => parseVaultFile(Buffer.from(text.replace('\n', '\n ')))).toThrow(/the file layout differs/);
  });

  it('names the member that fails the schema, never its value', async () => {
    const t = await testVault('password-or-key');
    const raw = JSON.parse(vaultFileBytes(t.vault.body).toString()) as Record<string, unknown>;
    const error = (() => {
      try {
        parseVaultFile(withChecksum({ ...raw, epoch: 0 }));
      } catch (e) {
        return e as VaultDamagedError;
      }
    })();
    expect(error?.part).toBe('member epoch');
  });

  it('reads a file on disk the same way', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-'));
    const file = join(dir, 'vault.json');
    await writeFile(file, 'not json');
    await expect(readVaultFile(file)).rejects.toThrow(/the file is not JSON text/);
  });

  it('carries an os-keychain slot through write, read and the slot list MAC', async () => {
    const t = await testVault('password-or-key');
    const keychain = new TestKeychain();
    const { vault, slotId } = await addSlot(
      t.vault,
      { type: 'os-keychain', credentialId: Buffer.alloc(16, 7), keychain },
      t.clock,
    );
    const slot = vault.body.slots[slotId];
    const read = parseVaultFile(vaultFileBytes(vault.body));
    expect(read.slots[slotId]).toEqual(slot);
    expect(Object.keys(slot!).sort()).toEqual(
      ['credentialId', 'deleted', 'hlc', 'nonce', 'sealed', 'share', 'type', 'wrapped'].sort(),
    );
    await expect(unlock(read, { password: PASSWORD }, { minArgon2: CHEAP })).resolves.toBeDefined();
  });

  it('refuses an os-keychain slot without its wrap as damaged (the member it misses named)', async () => {
    const t = await testVault('password-or-key');
    const { vault, slotId } = await addSlot(
      t.vault,
      { type: 'os-keychain', credentialId: Buffer.alloc(16, 7), keychain: new TestKeychain() },
      t.clock,
    );
    const raw = JSON.parse(vaultFileBytes(vault.body).toString('utf8')) as { slots: Record<string, object> };
    const { wrapped: _wrapped, ...rest } = raw.slots[slotId] as { wrapped: string };
    raw.slots[slotId] = rest;
    expect(() => parseVaultFile(withChecksum(raw))).toThrow(VaultDamagedError);
  });
});
