// The record codec: entries and groups told apart by `kind`, damage named by record, plaintext zeroed after parse.

import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeEntryRecord,
  encodeGroupRecord,
  readVaultContent,
} from '../../../../src/main/services/vault/vaultRecords.js';
import { createGroup } from '../../../../src/main/vault/entries/createGroup.js';
import { emptyVaultContent } from '../../../../src/main/vault/entries/vaultContent.js';
import { VaultDamagedError } from '../../../../src/main/vault/errors/VaultDamagedError.js';
import { putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { makeEntry, SECRET } from '../../vault/entries/entryFixtures.js';
import { testVault } from '../../vault/slots/testVault.js';

const ID = '00000000-0000-4000-8000-00000000aaaa';

function damage(data: string): VaultDamagedError {
  try {
    decodeRecord(ID, Buffer.from(data));
  } catch (error) {
    expect(error).toBeInstanceOf(VaultDamagedError);
    expect((error as Error).message).not.toContain(SECRET.slice(0, 8));
    return error as VaultDamagedError;
  }
  throw new Error('decodeRecord accepted damaged data');
}

describe('vault records', () => {
  it('encodes an entry flat with kind "entry" and no id, and decodes it back under the record id', () => {
    const entry = makeEntry({ otp_type: 'hotp', counter: 3 });
    const data = encodeEntryRecord(entry);
    const json = JSON.parse(data.toString('utf8'));
    expect(json).toMatchObject({ kind: 'entry', otp_type: 'hotp', counter: 3 });
    expect(json).not.toHaveProperty('id');
    expect(decodeRecord(entry.id, data)).toEqual({ kind: 'entry', entry });
  });

  it('encodes a group with kind "group"', () => {
    const { group } = createGroup(emptyVaultContent(), { name: 'Work', id: ID });
    expect(decodeRecord(ID, encodeGroupRecord(group))).toEqual({ kind: 'group', group });
  });

  it('zeroes the plaintext once parsed, and when it fails to parse', () => {
    const data = encodeEntryRecord(makeEntry());
    decodeRecord(ID, data);
    expect(data.every((b) => b === 0)).toBe(true);
    const bad = Buffer.from(`{"kind":"entry","secret":"${SECRET}"`);
    expect(() => decodeRecord(ID, bad)).toThrow(VaultDamagedError);
    expect(bad.every((b) => b === 0)).toBe(true);
  });

  it('refuses a record that is not JSON, has no known kind, or fails its schema, naming the record, not the content', () => {
    expect(damage('not json').message).toContain(`record ${ID} is not JSON text`);
    expect(damage('[1]').problem).toBe('is not a JSON object');
    expect(damage(`{"otp_type":"totp","secret":"${SECRET}"}`).problem).toBe(
      'has kind undefined, expected "entry", "group" or "icon"',
    );
    expect(damage('{"kind":"folder"}').problem).toBe('has kind "folder", expected "entry", "group" or "icon"');
    const { id: _id, ...fields } = makeEntry();
    expect(damage(JSON.stringify({ kind: 'entry', ...fields, secret: `${SECRET}1` })).problem).toBe(
      'fails the format at member secret',
    );
  });

  it('reads a vault into VaultContent, dropping group ids no group record has', async () => {
    const opened = await testVault('password-or-key', 0);
    const { clock } = opened;
    let { vault } = opened;
    const { group } = createGroup(emptyVaultContent(), { name: 'Work', id: ID });
    const entry = { ...makeEntry(), groups: [ID, '00000000-0000-4000-8000-00000000bbbb'] };
    vault = putEntry(vault, { id: entry.id, data: encodeEntryRecord(entry) }, clock.tick());
    vault = putEntry(vault, { id: ID, data: encodeGroupRecord(group) }, clock.tick());
    const content = readVaultContent(vault);
    expect(content.entries.get(entry.id)).toEqual({ ...entry, groups: [ID] });
    expect(content.groups.get(ID)).toEqual(group);
  });

  it('refuses a vault holding an entry record written without kind (the file layer allows any bytes)', async () => {
    const { vault, clock } = await testVault('password-or-key', 0);
    const bare = Buffer.from(
      JSON.stringify({ otp_type: 'totp', service: 'S', account: '', secret: 'JBSWY3DPEHPK3PXP' }),
    );
    const id = '00000000-0000-4000-8000-000000000000';
    expect(() => readVaultContent(putEntry(vault, { id, data: bare }, clock.tick()))).toThrow(
      /record 00000000-0000-4000-8000-000000000000 has kind undefined/,
    );
  });
});
