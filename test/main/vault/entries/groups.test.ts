import { describe, expect, it } from 'vitest';
import { createGroup } from '../../../../src/main/vault/entries/createGroup.js';
import { deleteGroup } from '../../../../src/main/vault/entries/deleteGroup.js';
import { assignGroup, unassignGroup } from '../../../../src/main/vault/entries/groupMembership.js';
import { renameGroup } from '../../../../src/main/vault/entries/renameGroup.js';
import { emptyVaultContent, type VaultContent } from '../../../../src/main/vault/entries/vaultContent.js';
import { vaultGroupSchema } from '../../../../src/main/vault/entries/vaultGroup.js';
import { VaultEntryError } from '../../../../src/main/vault/entries/VaultEntryError.js';
import { makeEntry } from './entryFixtures.js';

const LATER = new Date('2026-02-03T04:05:06.000Z');
const WORK = '10000000-0000-4000-8000-000000000001';
const HOME = '10000000-0000-4000-8000-000000000002';
const NOBODY = '10000000-0000-4000-8000-0000000000ff';

function withTwoEntries(): VaultContent {
  const a = makeEntry({ service: 'GitHub' });
  const b = makeEntry({ service: 'GitLab' });
  let content: VaultContent = { entries: new Map([a, b].map((e) => [e.id, e])), groups: new Map() };
  content = createGroup(content, { name: 'Work', id: WORK }).content;
  return createGroup(content, { name: 'Home', id: HOME }).content;
}

function refusal(fn: () => unknown): VaultEntryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultEntryError) return error;
    throw error;
  }
  throw new Error('the operation was not refused');
}

describe('createGroup', () => {
  it('adds a trimmed, schema-valid group and leaves the old content unchanged', () => {
    const before = emptyVaultContent();
    const { content, group } = createGroup(before, { name: '  Work ', id: WORK, now: LATER });
    expect(group).toEqual({ id: WORK, name: 'Work', created_at: LATER.toISOString(), updated_at: LATER.toISOString() });
    expect(vaultGroupSchema.parse(group)).toEqual(group);
    expect(content.groups.get(WORK)).toEqual(group);
    expect(before.groups.size).toBe(0);
  });

  it.each([
    ['', 'missing', /cannot be empty/],
    ['   ', 'missing', /cannot be empty/],
    ['x'.repeat(33), 'out-of-range', /33 characters, expected at most 32/],
    ['a\tb', 'invalid', /control characters/],
    [7, 'invalid', /must be text, found 7/],
    ['WORK', 'duplicate', /a group named "Work" already exists/],
    ['Wörk', 'duplicate', /already exists/],
  ])('refuses the name %o (%s)', (name, reason, message) => {
    const error = refusal(() => createGroup(withTwoEntries(), { name }));
    expect(error).toMatchObject({ field: 'name', reason });
    expect(error.message).toMatch(message);
  });
});

describe('renameGroup', () => {
  it('renames, even to another case of its own name, and moves updated_at', () => {
    const content = renameGroup(withTwoEntries(), { id: WORK, name: 'WORK', now: LATER });
    expect(content.groups.get(WORK)).toMatchObject({ name: 'WORK', updated_at: LATER.toISOString() });
  });

  it("refuses an unknown id and another group's name", () => {
    expect(refusal(() => renameGroup(withTwoEntries(), { id: NOBODY, name: 'X' }))).toMatchObject({
      field: 'group',
      reason: 'unknown-id',
    });
    expect(refusal(() => renameGroup(withTwoEntries(), { id: WORK, name: 'home' }))).toMatchObject({
      field: 'name',
      reason: 'duplicate',
    });
  });
});

describe('assignGroup and unassignGroup', () => {
  it('puts an entry in a group once and takes it out again', () => {
    const start = withTwoEntries();
    const [id] = start.entries.keys();
    const assigned = assignGroup(start, { entryId: id!, groupId: WORK, now: LATER });
    expect(assigned.entries.get(id!)).toMatchObject({ groups: [WORK], updated_at: LATER.toISOString() });
    expect(assignGroup(assigned, { entryId: id!, groupId: WORK })).toBe(assigned);
    expect(start.entries.get(id!)!.groups).toEqual([]);
    const both = assignGroup(assigned, { entryId: id!, groupId: HOME });
    expect(both.entries.get(id!)!.groups).toEqual([WORK, HOME]);
    expect(unassignGroup(both, { entryId: id!, groupId: WORK }).entries.get(id!)!.groups).toEqual([HOME]);
    expect(unassignGroup(start, { entryId: id!, groupId: WORK })).toBe(start);
  });

  it('refuses an unknown entry or group', () => {
    const start = withTwoEntries();
    const [id] = start.entries.keys();
    expect(refusal(() => assignGroup(start, { entryId: NOBODY, groupId: WORK }))).toMatchObject({
      field: 'id',
      reason: 'unknown-id',
    });
    expect(refusal(() => unassignGroup(start, { entryId: id!, groupId: NOBODY }))).toMatchObject({
      field: 'group',
      reason: 'unknown-id',
    });
  });
});

describe('deleteGroup', () => {
  it('removes the group; its entries stay, without it', () => {
    let content = withTwoEntries();
    const [a, b] = content.entries.keys();
    content = assignGroup(content, { entryId: a!, groupId: WORK });
    content = assignGroup(content, { entryId: a!, groupId: HOME });
    content = assignGroup(content, { entryId: b!, groupId: WORK });
    const after = deleteGroup(content, { id: WORK, now: LATER });
    expect([...after.groups.keys()]).toEqual([HOME]);
    expect(after.entries.size).toBe(2);
    expect(after.entries.get(a!)).toMatchObject({ groups: [HOME], updated_at: LATER.toISOString() });
    expect(after.entries.get(b!)!.groups).toEqual([]);
    expect(content.groups.has(WORK)).toBe(true);
  });

  it('refuses an unknown id', () => {
    expect(refusal(() => deleteGroup(withTwoEntries(), { id: NOBODY }))).toMatchObject({ reason: 'unknown-id' });
  });
});
