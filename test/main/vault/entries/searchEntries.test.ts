import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGroup } from '../../../../src/main/vault/entries/createGroup.js';
import { assignGroup } from '../../../../src/main/vault/entries/groupMembership.js';
import { buildSearchIndex, searchEntries } from '../../../../src/main/vault/entries/searchEntries.js';
import type { VaultContent } from '../../../../src/main/vault/entries/vaultContent.js';
import type { VaultEntry } from '../../../../src/main/vault/entries/vaultEntry.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { makeEntry } from './entryFixtures.js';

function contentOf(entries: VaultEntry[]): VaultContent {
  return { entries: new Map(entries.map((e) => [e.id, e])), groups: new Map() };
}

const services = (found: VaultEntry[]) => found.map((e) => e.service);

describe('searchEntries', () => {
  const entries = [
    makeEntry({ service: 'Zürich Bank', account: 'anna' }, 2),
    makeEntry({ service: 'GitHub', account: 'Ørjan' }, 1),
    makeEntry({ service: 'École', account: 'bob@example.com' }, 0),
    makeEntry({ service: 'Ｅxample', account: 'carol' }, 3),
  ];
  let content = contentOf(entries);
  const created = createGroup(content, { name: 'Trabajo', id: '20000000-0000-4000-8000-000000000001' });
  content = assignGroup(created.content, { entryId: entries[1]!.id, groupId: created.group.id });
  const index = buildSearchIndex(content);

  it('ignores case and accents, in the query and in the names', () => {
    expect(services(searchEntries(index, 'zurich'))).toEqual(['Zürich Bank']);
    expect(services(searchEntries(index, 'ZÜRICH'))).toEqual(['Zürich Bank']);
    expect(services(searchEntries(index, 'ecole'))).toEqual(['École']);
    expect(services(searchEntries(index, 'example'))).toEqual(['École', 'Ｅxample']);
  });

  it('searches service, account and group names, every word somewhere', () => {
    expect(services(searchEntries(index, 'anna'))).toEqual(['Zürich Bank']);
    expect(services(searchEntries(index, 'trabajo'))).toEqual(['GitHub']);
    expect(services(searchEntries(index, 'git trab'))).toEqual(['GitHub']);
    expect(services(searchEntries(index, 'git anna'))).toEqual([]);
    expect(services(searchEntries(index, 'hub'))).toEqual(['GitHub']);
  });

  it('does not match across the end of one field and the start of the next', () => {
    expect(searchEntries(index, 'bankanna')).toEqual([]);
  });

  it('orders by order, and gives everything for an empty query', () => {
    expect(services(searchEntries(index, ''))).toEqual(['École', 'GitHub', 'Zürich Bank', 'Ｅxample']);
    expect(services(searchEntries(index, '   '))).toHaveLength(4);
  });

  it('handles 10,000 entries: each keystroke of a query gives the matching entries in order', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeEntry({ service: `Service ${i}`, account: i % 2 ? `user${i}@example.com` : `Ådmin ${i}` }, 10_000 - i),
    );
    const big = buildSearchIndex(contentOf(many));
    const query = 'admin 99';
    for (let length = 0; length <= query.length; length++) {
      const found = searchEntries(big, query.slice(0, length));
      expect(found.map((e) => e.order)).toEqual([...found.map((e) => e.order)].sort((a, b) => a - b));
    }
    // "admin" is every even entry; "99" narrows it to those whose number contains 99.
    const expected = many.filter((_, i) => i % 2 === 0 && String(i).includes('99'));
    expect(new Set(searchEntries(big, query))).toEqual(new Set(expected));
    expect(searchEntries(big, '')).toHaveLength(10_000);
  });

  it('property: a result contains every query word in some name, and no entry is left out that does', () => {
    const word = fc.constantFrom('git', 'hub', 'ecole', 'ÉCOLE', 'bank', 'a', 'zz', 'Zü');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 3 }), (words) => {
        const query = words.join(' ');
        const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
        const expected = [...content.entries.values()]
          .filter((e) =>
            words.every((w) =>
              [e.service, e.account, ...e.groups.map((g) => content.groups.get(g)!.name)].some((name) =>
                fold(name).includes(fold(w)),
              ),
            ),
          )
          .sort((a, b) => a.order - b.order);
        expect(searchEntries(index, query)).toEqual(expected);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
