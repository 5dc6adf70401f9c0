// A Syncthing conflict copy beside vault.json, each with different edits: merged, written, read back and reopened, with
// nothing acknowledged on either desktop lost.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultUnlockError } from '../../../../src/main/vault/errors/VaultUnlockError.js';
import { openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { readVaultFile, writeVaultFile } from '../../../../src/main/vault/file/vaultFileIo.js';
import type { KeyOutput } from '../../../../src/main/vault/slots/slotKeys.js';
import { unlock } from '../../../../src/main/vault/slots/unlock.js';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import { syncConflictCopies } from '../../../../src/main/vault/sync/syncConflictCopies.js';
import { CHEAP, PASSWORD, testVault } from '../slots/testVault.js';
import { hotpJson, Replica } from './replicas.js';

const HOTP_ID = '00000000-0000-4000-8000-0000000000aa';
const NEW_ON_A = '00000000-0000-4000-8000-0000000000a1';
const NEW_ON_B = '00000000-0000-4000-8000-0000000000b1';
const [FIRST, SECOND, THIRD] = [0, 1, 2].map((i) => `00000000-0000-4000-8000-00000000000${i}`) as [
  string,
  string,
  string,
];

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-sync-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function contents(vault: Awaited<ReturnType<typeof unlock>>): Map<string, Record<string, unknown>> {
  return new Map(openEntries(vault).map((e) => [e.id, JSON.parse(Buffer.from(e.data).toString('utf8'))]));
}

describe.each(['password-or-key', 'password-and-key', 'key-only'] as const)(
  'merging a Syncthing conflict copy (%s)',
  (mode) => {
    it('keeps every edit, addition, deletion, counter step and key change made on either desktop', async () => {
      const start = await testVault(mode, 3);
      // The password wherever the mode has its slot; with a key it is still needed in password-and-key mode only.
      const password = mode === 'key-only' ? {} : { password: PASSWORD };
      const withKey = (key: KeyOutput) => ({ ...(mode === 'password-and-key' ? password : {}), keys: [key] });
      const synced = putEntry(start.vault, { id: HOTP_ID, data: hotpJson('bank', 0) }, start.clock.tick());
      const a = new Replica('desktop-a', synced);
      const b = new Replica('desktop-b', synced);

      // Desktop A: renames the first entry, adds one, shows two HOTP codes, deletes the third entry, registers a key.
      a.vault = putEntry(a.vault, { id: FIRST, data: Buffer.from('{"service":"renamed on A"}') }, a.clock.tick());
      a.put(NEW_ON_A, 'added on A');
      a.step(HOTP_ID);
      a.step(HOTP_ID);
      a.delete(THIRD);
      const keyA = await a.addKey();
      // Desktop B, offline meanwhile: renames the second entry, adds one, shows one HOTP code (later than A's), registers
      // a key and revokes the key the vault was made with.
      b.vault = putEntry(b.vault, { id: SECOND, data: Buffer.from('{"service":"renamed on B"}') }, b.clock.tick());
      b.put(NEW_ON_B, 'added on B');
      for (let i = 0; i < 5; i++) b.clock.tick();
      b.step(HOTP_ID);
      const keyB = await b.addKey();
      b.removeKey(0);

      const vaultFile = join(dir, 'vault.json');
      const conflict = join(dir, 'vault.sync-conflict-20261206-101010-ABCDEFG.json');
      await writeVaultFile(vaultFile, a.vault.body);
      await writeVaultFile(conflict, b.vault.body);
      await writeFile(join(dir, 'vault.sync-conflict-2026-ABCDEFG.json'), 'not a conflict copy name');
      expect(await syncConflictCopies(vaultFile)).toEqual([conflict]);

      const opened = [];
      const keys = [
        start.key.answer(start.salt, true),
        keyA.key.answer(keyA.salt, true),
        keyB.key.answer(keyB.salt, true),
      ];
      for (const file of [vaultFile, conflict])
        opened.push(await unlock(await readVaultFile(file), { ...password, keys }, { minArgon2: CHEAP }));
      await writeVaultFile(vaultFile, mergeVaults(opened[0]!, opened[1]!).body);
      await rm(conflict);

      const body = await readVaultFile(vaultFile);
      const merged = await unlock(
        body,
        { ...password, keys: [keyA.key.answer(keyA.salt, true)] },
        { minArgon2: CHEAP },
      );
      const entries = contents(merged);
      expect(entries.get(FIRST)).toEqual({ service: 'renamed on A' });
      expect(entries.get(SECOND)).toEqual({ service: 'renamed on B' });
      expect(entries.get(NEW_ON_A)?.service).toBe('added on A');
      expect(entries.get(NEW_ON_B)?.service).toBe('added on B');
      expect(entries.has(THIRD)).toBe(false);
      expect(body.entries[THIRD]?.deleted).toBe(true);
      // B's step came later, yet A had shown codes 0 and 1: the next code must be 2, never 1 again.
      expect(entries.get(HOTP_ID)?.counter).toBe(2);

      for (const { key, salt } of [keyA, keyB]) {
        const withKey = await unlock(body, { ...password, keys: [key.answer(salt, true)] }, { minArgon2: CHEAP });
        expect(withKey.master.equals(merged.master)).toBe(true);
      }
      const revoked = unlock(body, withKey(start.key.answer(start.salt, true)), { minArgon2: CHEAP });
      await expect(revoked).rejects.toBeInstanceOf(VaultUnlockError);
    });
  },
);
