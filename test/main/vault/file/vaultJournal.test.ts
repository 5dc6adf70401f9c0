// The journal's bytes: a change per line with its digest; every changed byte is damage or harmless, every cut is an
// unfinished append that drops only what was never acknowledged.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { journalLine, parseJournal, type JournalChange } from '../../../../src/main/vault/file/vaultJournal.js';
import { putEntry, deleteEntry } from '../../../../src/main/vault/file/entryRecords.js';
import { entryJson, testVault } from '../slots/testVault.js';

const ID_A = '0a0a0a0a-0000-4000-8000-000000000001';
const ID_B = '0b0b0b0b-0000-4000-8000-000000000002';

async function twoChanges(): Promise<{ bytes: Buffer; changes: JournalChange[] }> {
  const { vault, clock } = await testVault('password-or-key', 0);
  const header = { vault: vault.body.vault, epoch: vault.body.epoch };
  const first = putEntry(vault, { id: ID_A, data: entryJson('First') }, clock.tick());
  const second = deleteEntry(
    putEntry(first, { id: ID_B, data: entryJson('Second') }, clock.tick()),
    ID_A,
    clock.tick(),
  );
  const changes: JournalChange[] = [
    { ...header, records: { [ID_A]: first.body.entries[ID_A]! } },
    { ...header, records: { [ID_A]: second.body.entries[ID_A]!, [ID_B]: second.body.entries[ID_B]! } },
  ];
  const bytes = Buffer.concat(changes.map((c) => journalLine(c, c.records)));
  return { bytes, changes };
}

/** What a change holds, as plain data (the parser's records are not the frozen objects written). */
const plain = (changes: JournalChange[]) => JSON.parse(JSON.stringify(changes)) as unknown;

describe('the vault journal', () => {
  it('reads back the changes written, in order, one line each', async () => {
    const { bytes, changes } = await twoChanges();
    expect(bytes.toString('latin1').split('\n')).toHaveLength(3);
    const read = parseJournal(bytes);
    expect(plain(read.changes)).toEqual(plain(changes));
    expect(read.damage).toBeUndefined();
    expect(read.unfinishedBytes).toBe(0);
    expect(parseJournal(new Uint8Array(0))).toEqual({ changes: [], unfinishedBytes: 0 });
  });

  it('refuses to write a change without records', async () => {
    const { vault } = await testVault('password-or-key', 0);
    expect(() => journalLine({ vault: vault.body.vault, epoch: 1 }, {})).toThrow(/at least one record/);
  });

  it('cut at any byte (a crash during an append): the complete lines are read, the rest dropped, no damage', async () => {
    const { bytes, changes } = await twoChanges();
    const firstEnd = bytes.indexOf(0x0a) + 1;
    for (let length = 0; length < bytes.length; length++) {
      const read = parseJournal(bytes.subarray(0, length));
      expect(read.damage).toBeUndefined();
      // A line cut just before its newline is whole: it is read (it was written, only not acknowledged yet).
      const whole = (length >= firstEnd ? 1 : 0) + (length === firstEnd - 1 || length === bytes.length - 1 ? 1 : 0);
      expect(plain(read.changes), `cut at ${length}`).toEqual(plain(changes.slice(0, whole)));
      const lineStart = length >= firstEnd ? firstEnd : 0;
      const expectedUnfinished = length === firstEnd - 1 || length === bytes.length - 1 ? 0 : length - lineStart;
      expect(read.unfinishedBytes).toBe(expectedUnfinished);
    }
  });

  it('any single byte changed anywhere is reported as damage, or (the last newline) changes nothing read', async () => {
    const { bytes, changes } = await twoChanges();
    const secondStart = bytes.indexOf(0x0a) + 1;
    let damaged = 0;
    for (let at = 0; at < bytes.length; at++) {
      for (const flip of [0x01, 0x20, 0x80]) {
        const copy = Buffer.from(bytes);
        copy[at]! ^= flip;
        const read = parseJournal(copy);
        if (read.damage) {
          damaged++;
          // The change the byte belongs to is named (a newline changed joins a line to the next: the first of them).
          expect(read.damage.change).toBe(at < secondStart ? 1 : 2);
          expect(plain(read.changes)).toEqual(plain(changes.slice(0, read.damage.change - 1)));
          expect(read.damage.problem).not.toMatch(/[A-Za-z0-9+/]{20,}/);
        } else {
          expect(at, `byte ${at} changed by ${flip} went unnoticed`).toBe(bytes.length - 1);
          expect(plain(read.changes)).toEqual(plain(changes));
        }
      }
    }
    expect(damaged).toBe((bytes.length - 1) * 3);
  });

  it('names what is wrong with a line whose digest matches but whose content is not a change', () => {
    const line = (value: unknown) => {
      const json = Buffer.from(JSON.stringify(value));
      const digest = createHash('sha256').update(json).digest('hex');
      return Buffer.concat([json, Buffer.from(` ${digest}\n`)]);
    };
    const vault = '0c0c0c0c-0000-4000-8000-000000000003';
    const record = {
      hlc: { wall: 1, counter: 0, device: 'd' },
      deleted: false,
      nonce: 'AAAAAAAAAAAAAAAA',
      ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==',
    };
    const cases: [unknown, RegExp][] = [
      [[1, 2], /not a JSON object/],
      [{ vault, epoch: 1 }, /exactly the members epoch, records, vault/],
      [{ vault: 'nope', epoch: 1, records: { [ID_A]: record } }, /no vault UUID/],
      [{ vault, epoch: 0, records: { [ID_A]: record } }, /no key epoch/],
      [{ vault, epoch: 1, records: {} }, /no records/],
      [{ vault, epoch: 1, records: { [ID_A]: { ...record, nonce: 'AA==' } } }, /nonce/],
      [{ vault, epoch: 1, records: { 'NOT-A-UUID': record } }, /UUID/],
    ];
    for (const [value, problem] of cases) {
      const read = parseJournal(line(value));
      expect(read.damage?.problem).toMatch(problem);
      expect(read.damage?.change).toBe(1);
    }
    expect(parseJournal(Buffer.from('{} 1234\n')).damage?.problem).toMatch(/64-digit digest/);
  });
});
