// mergeSlotSets on chosen cases: the union of both sets, tombstones over live records at any clock, and ties.

import { describe, expect, it } from 'vitest';
import type { Slot } from '../../../../src/main/vault/slots/slotSchema.js';
import { mergeSlotSets } from '../../../../src/main/vault/sync/mergeSlotSets.js';

const ID = '00000000-0000-4000-8000-00000000c001';
const OTHER = '00000000-0000-4000-8000-00000000c002';
const hlc = (wall: number) => ({ wall, counter: 0, device: 'desktop' });

/** The members as a slot has them; only `sealed` differs between the copies here (the merge does not open slots). */
function keychain(wall: number, sealed: string): Slot {
  return {
    type: 'os-keychain',
    hlc: hlc(wall),
    deleted: false,
    share: 'master',
    credentialId: Buffer.alloc(16, 1).toString('base64'),
    nonce: Buffer.alloc(12, 2).toString('base64'),
    wrapped: Buffer.alloc(48, 3).toString('base64'),
    sealed,
  };
}

describe('mergeSlotSets', () => {
  it('keeps a slot added on either side', () => {
    const merged = mergeSlotSets({ [ID]: keychain(1, 'AAAA') }, { [OTHER]: keychain(2, 'BBBB') });
    expect(Object.keys(merged).sort()).toEqual([ID, OTHER]);
  });

  it('keeps a removed slot removed against a live record with a later clock', () => {
    const tombstone: Slot = { type: 'os-keychain', hlc: hlc(1), deleted: true };
    expect(mergeSlotSets({ [ID]: tombstone }, { [ID]: keychain(9, 'AAAA') })[ID]).toEqual(tombstone);
    expect(mergeSlotSets({ [ID]: keychain(9, 'AAAA') }, { [ID]: tombstone })[ID]).toEqual(tombstone);
  });

  it('takes the later of two live records, and breaks a tie of clocks the same way in either order', () => {
    expect(mergeSlotSets({ [ID]: keychain(1, 'AAAA') }, { [ID]: keychain(2, 'BBBB') })[ID]).toEqual(
      keychain(2, 'BBBB'),
    );
    const [a, b] = [{ [ID]: keychain(5, 'AAAA') }, { [ID]: keychain(5, 'BBBB') }];
    expect(mergeSlotSets(a, b)).toEqual(mergeSlotSets(b, a));
  });
});
