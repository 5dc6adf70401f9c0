import { describe, expect, it } from 'vitest';
import { editEntry } from '../../../../src/main/vault/entries/editEntry.js';
import { vaultEntrySchema } from '../../../../src/main/vault/entries/vaultEntry.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/VaultEntryError.js';
import { makeEntry, NOW } from './entryFixtures.js';

const LATER = new Date('2026-03-04T05:06:07.000Z');

describe('editEntry', () => {
  it('changes the given fields and keeps id, groups, creation time and the rest', () => {
    const entry = { ...makeEntry({ digits: 8 }), groups: ['30000000-0000-4000-8000-000000000001'] };
    const edited = editEntry({ entry, changes: { service: ' Renamed ', order: 4 }, now: LATER });
    expect(edited).toEqual({ ...entry, service: 'Renamed', order: 4, updated_at: LATER.toISOString() });
    expect(entry.service).toBe('Example');
    expect(vaultEntrySchema.parse(edited)).toEqual(edited);
  });

  it('resets the fields of the old type when the type changes', () => {
    const totp = makeEntry({ period: 60, digits: 8, algorithm: 'sha256' });
    expect(editEntry({ entry: totp, changes: { otp_type: 'hotp' } })).toMatchObject({
      otp_type: 'hotp',
      period: null,
      counter: 0,
      digits: 8,
      algorithm: 'sha256',
    });
    expect(editEntry({ entry: totp, changes: { otp_type: 'steamtotp' } })).toMatchObject({
      digits: 5,
      period: 30,
      algorithm: 'sha1',
    });
    const steam = makeEntry({ otp_type: 'steamtotp' });
    expect(editEntry({ entry: steam, changes: { otp_type: 'TOTP', digits: 7 } })).toMatchObject({
      otp_type: 'totp',
      digits: 7,
      period: 30,
    });
  });

  it('refuses bad changes naming the field, leaving the entry as it was', () => {
    const entry = makeEntry();
    expect(() => editEntry({ entry, changes: { digits: 11 } })).toThrow(
      expect.objectContaining({ field: 'digits', reason: 'out-of-range' }),
    );
    expect(() => editEntry({ entry, changes: { order: -1 } })).toThrow(VaultEntryError);
    expect(() => editEntry({ entry, changes: { counter: 2 } })).toThrow(/totp entry has no counter/);
    expect(entry).toMatchObject({ digits: 6, order: 0, updated_at: NOW.toISOString() });
  });
});
