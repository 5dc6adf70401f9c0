// newestHlc: the latest clock of a copy's entries and slots, so a desktop's next edit orders after a merge.

import { describe, expect, it } from 'vitest';
import { HybridLogicalClock, compareHlc } from '../../../../src/main/vault/clock/HybridLogicalClock.js';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import { newestHlc } from '../../../../src/main/vault/sync/newestHlc.js';
import { testVault } from '../slots/testVault.js';
import { Replica } from './replicas.js';

const FIRST = '00000000-0000-4000-8000-000000000000';

describe('newestHlc', () => {
  it('is undefined for a copy without records', async () => {
    const { vault } = await testVault('password-or-key', 0);
    expect(newestHlc({ ...vault.body, slots: {}, entries: {} })).toBeUndefined();
  });

  it('finds the latest record, a tombstone or a slot included, so the next local edit orders after the merge', async () => {
    const t = await testVault('password-or-key');
    const [a, b] = [new Replica('desktop-a', t.vault), new Replica('desktop-b', t.vault)];
    for (let i = 0; i < 50; i++) b.clock.tick();
    b.delete(FIRST);
    await b.addKey();
    const merged = mergeVaults(a.vault, b.vault);
    const newest = newestHlc(merged.body)!;
    const slotClocks = Object.values(b.vault.body.slots).map((slot) => slot.hlc);
    expect(slotClocks).toContainEqual(newest);
    for (const record of [...Object.values(merged.body.entries), ...Object.values(merged.body.slots)])
      expect(compareHlc(record.hlc, newest)).toBeLessThanOrEqual(0);
    // A desktop whose wall clock runs far behind still orders its next edit after what it merged.
    const behind = new HybridLogicalClock({ device: 'desktop-a', now: () => 0 });
    behind.receive(newest);
    expect(compareHlc(behind.tick(), newest)).toBeGreaterThan(0);
  });
});
