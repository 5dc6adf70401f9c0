// Applying a journal to an opened vault: by the sync merge's rules record by record, twice the same as once, and
// stopping (with the reason) at a change of another vault or epoch, or one whose record fails its tag.

import { describe, expect, it } from 'vitest';
import { HybridLogicalClock } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { deleteEntry, openEntries, putEntry } from '../../../../src/main/vault/file/entryRecords.js';
import type { JournalChange } from '../../../../src/main/vault/file/vaultJournal.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { applyJournal } from '../../../../src/main/vault/sync/applyJournal.js';
import { entryJson, testVault } from '../slots/testVault.js';

const ID_A = '0a0a0a0a-0000-4000-8000-000000000001';
const ID_B = '0b0b0b0b-0000-4000-8000-000000000002';

function hotp(counter: number): Uint8Array {
  return Buffer.from(JSON.stringify({ kind: 'entry', otp_type: 'hotp', service: 'Bank', counter }));
}

/** The journal change that writes `ids` as `after` holds them. */
function changeOf(after: UnlockedVault, ...ids: string[]): JournalChange {
  return {
    vault: after.body.vault,
    epoch: after.body.epoch,
    records: Object.fromEntries(ids.map((id) => [id, after.body.entries[id]!])),
  };
}

function contents(vault: UnlockedVault): Record<string, string> {
  return Object.fromEntries(openEntries(vault).map((e) => [e.id, Buffer.from(e.data).toString()]));
}

describe('applying the journal', () => {
  it('puts its records in, passes over those the vault holds already, and changes nothing applied twice', async () => {
    const { vault, clock } = await testVault('password-or-key', 0);
    const one = putEntry(vault, { id: ID_A, data: entryJson('A') }, clock.tick());
    const two = putEntry(one, { id: ID_B, data: entryJson('B') }, clock.tick());
    const journal = [changeOf(one, ID_A), changeOf(two, ID_B)];

    const applied = applyJournal(vault, journal);
    expect(applied.applied).toBe(2);
    expect(applied.stopped).toBeUndefined();
    expect(contents(applied.vault)).toEqual(contents(two));
    // Folded, then a crash before the journal went: its records are all in the file, and the vault is the same object.
    const again = applyJournal(applied.vault, journal);
    expect(again.vault).toBe(applied.vault);
    expect(again.applied).toBe(2);
  });

  it('merges each record with the vault’s as a sync would: a later edit there wins, an HOTP counter never goes back', async () => {
    const { vault, clock } = await testVault('password-or-key', 0);
    const base = putEntry(vault, { id: ID_A, data: hotp(5) }, clock.tick());
    // This desktop showed codes up to counter 9 (journaled); meanwhile the other desktop renamed it, later, at counter 6.
    const here = putEntry(base, { id: ID_A, data: hotp(9) }, clock.tick());
    const other = new HybridLogicalClock({ device: 'other-desktop', now: () => Date.now() + 60_000 });
    const synced = putEntry(
      base,
      {
        id: ID_A,
        data: Buffer.from(JSON.stringify({ kind: 'entry', otp_type: 'hotp', service: 'Bank plc', counter: 6 })),
      },
      other.tick(),
    );
    const applied = applyJournal(synced, [changeOf(here, ID_A)]);
    expect(JSON.parse(contents(applied.vault)[ID_A]!)).toEqual({
      kind: 'entry',
      otp_type: 'hotp',
      service: 'Bank plc',
      counter: 9,
    });
  });

  it('keeps a deletion, whichever side made it', async () => {
    const { vault, clock } = await testVault('password-or-key', 0);
    const base = putEntry(vault, { id: ID_A, data: entryJson('A') }, clock.tick());
    const deleted = deleteEntry(base, ID_A, clock.tick());
    const edited = putEntry(base, { id: ID_A, data: entryJson('A, edited later') }, clock.tick());
    expect(contents(applyJournal(edited, [changeOf(deleted, ID_A)]).vault)).toEqual({});
    expect(contents(applyJournal(deleted, [changeOf(edited, ID_A)]).vault)).toEqual({});
  });

  it('stops at a change of another epoch or vault, or one that fails its tag, and keeps the changes before it', async () => {
    const { vault, clock } = await testVault('password-or-key', 0);
    const one = putEntry(vault, { id: ID_A, data: entryJson('A') }, clock.tick());
    const two = putEntry(one, { id: ID_B, data: entryJson('B') }, clock.tick());
    const good = changeOf(one, ID_A);

    const epoch = applyJournal(vault, [good, { ...changeOf(two, ID_B), epoch: 2 }]);
    expect(epoch.stopped).toEqual({ change: 2, reason: expect.stringMatching(/key epoch 2.*epoch 1/) });
    expect(Object.keys(contents(epoch.vault))).toEqual([ID_A]);

    const otherVault = applyJournal(vault, [{ ...good, vault: '0c0c0c0c-0000-4000-8000-000000000003' }]);
    expect(otherVault.stopped).toEqual({ change: 1, reason: 'it was written for another vault' });
    expect(otherVault.vault).toBe(vault);

    // A clock edited in the journal: the record's tag no longer matches its additional data.
    const record = two.body.entries[ID_B]!;
    const forged = { ...changeOf(two, ID_B), records: { [ID_B]: { ...record, hlc: { ...record.hlc, wall: 1 } } } };
    const tag = applyJournal(vault, [good, forged]);
    expect(tag.stopped).toEqual({ change: 2, reason: 'a record fails its authentication tag' });
    expect(Object.keys(contents(tag.vault))).toEqual([ID_A]);
    expect(tag.applied).toBe(1);
  });
});
