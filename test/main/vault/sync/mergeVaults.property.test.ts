// Property tests of mergeVaults: a join of copies (commutative, associative, idempotent), replicas that exchange copies
// in any order converge, and a merge loses nothing either copy held (tombstones, slots, HOTP counters).

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeVaults } from '../../../../src/main/vault/sync/mergeVaults.js';
import type { UnlockedVault } from '../../../../src/main/vault/slots/unlock.js';
import { FUZZ_RUNS } from '../../../support/fuzz.js';
import { testVault } from '../slots/testVault.js';
import { ENTRY_IDS, Replica, viewOf } from './replicas.js';

const REPLICAS = 3;

type Op =
  | { kind: 'put'; at: number; entry: number; service: string }
  | { kind: 'step' | 'delete'; at: number; entry: number }
  | { kind: 'addKey'; at: number }
  | { kind: 'removeKey'; at: number; which: number }
  | { kind: 'pull'; at: number; from: number };

const at = fc.nat({ max: REPLICAS - 1 });
const entry = fc.nat({ max: ENTRY_IDS.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('put' as const), at, entry, service: fc.constantFrom('a', 'b', 'c') }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), at, entry }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, entry }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addKey' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeKey' as const), at, which: fc.nat({ max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pull' as const), at, from: at }) },
);

let base: UnlockedVault;

beforeAll(async () => {
  base = (await testVault('password-or-key', 0)).vault;
});

/**
 * Three desktops that start from one copy and then edit and pull as `ops` say. With `sharedDevice` they all carry one
 * device id, which no two installs should, so that their clocks collide and the merge's tie-breaks are exercised.
 */
async function play(ops: readonly Op[], sharedDevice = false): Promise<Replica[]> {
  const replicas = Array.from(
    { length: REPLICAS },
    (_, i) => new Replica(sharedDevice ? 'desktop' : `desktop-${i}`, base),
  );
  for (const o of ops) {
    const r = replicas[o.at]!;
    if (o.kind === 'put') r.put(ENTRY_IDS[o.entry]!, o.service);
    else if (o.kind === 'step') r.step(ENTRY_IDS[o.entry]!);
    else if (o.kind === 'delete') r.delete(ENTRY_IDS[o.entry]!);
    else if (o.kind === 'addKey') await r.addKey();
    else if (o.kind === 'removeKey') r.removeKey(o.which);
    else if (o.kind === 'pull') r.vault = mergeVaults(r.vault, replicas[o.from]!.vault);
  }
  return replicas;
}

const ops = fc.array(op, { maxLength: 16 });
const sharedDevice = fc.boolean();
const runs = { numRuns: FUZZ_RUNS };

describe('mergeVaults (property)', () => {
  it('is commutative', async () => {
    await fc.assert(
      fc.asyncProperty(ops, sharedDevice, async (list, shared) => {
        const [x, y] = (await play(list, shared)).map((r) => r.vault);
        expect(viewOf(mergeVaults(x!, y!))).toEqual(viewOf(mergeVaults(y!, x!)));
      }),
      runs,
    );
  });

  it('is associative', async () => {
    await fc.assert(
      fc.asyncProperty(ops, sharedDevice, async (list, shared) => {
        const [x, y, z] = (await play(list, shared)).map((r) => r.vault);
        expect(viewOf(mergeVaults(mergeVaults(x!, y!), z!))).toEqual(viewOf(mergeVaults(x!, mergeVaults(y!, z!))));
      }),
      runs,
    );
  });

  it('is idempotent, and merging a copy with what it already merged changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(ops, sharedDevice, async (list, shared) => {
        const [x, y] = (await play(list, shared)).map((r) => r.vault);
        // Byte for byte: a copy merged with itself needs no record sealed again.
        expect(mergeVaults(x!, x!).body).toEqual(x!.body);
        const xy = mergeVaults(x!, y!);
        expect(viewOf(mergeVaults(xy, y!))).toEqual(viewOf(xy));
      }),
      runs,
    );
  });

  it('makes replicas that exchange copies in any order converge', async () => {
    await fc.assert(
      fc.asyncProperty(
        ops,
        sharedDevice,
        fc.array(fc.tuple(at, at), { maxLength: 8 }),
        fc.array(fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
        async (list, shared, gossip, orders) => {
          const replicas = await play(list, shared);
          for (const [to, from] of gossip)
            replicas[to]!.vault = mergeVaults(replicas[to]!.vault, replicas[from]!.vault);
          const copies = replicas.map((r) => r.vault);
          // Each desktop then receives every other copy, in its own order: all must end up holding the same vault.
          const finals = orders.map((order, i) =>
            order.reduce((vault, j) => mergeVaults(vault, copies[j]!), copies[i]!),
          );
          const views = finals.map(viewOf);
          expect(views[1]).toEqual(views[0]);
          expect(views[2]).toEqual(views[0]);
        },
      ),
      runs,
    );
  });

  it('loses nothing either copy held: tombstones, slots and slot tombstones, the highest HOTP counter', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (list) => {
        const [x, y] = (await play(list)).map((r) => r.vault);
        const merged = mergeVaults(x!, y!);
        const view = viewOf(merged);
        for (const side of [x!, y!]) {
          const sideView = viewOf(side);
          for (const [id, record] of Object.entries(sideView.entries)) {
            const now = view.entries[id]!;
            expect(now).toBeDefined();
            if (record.deleted) expect(now.deleted).toBe(true);
            else if (!now.deleted) {
              const counter = (JSON.parse(record.content) as { counter: number }).counter;
              expect((JSON.parse(now.content) as { counter: number }).counter).toBeGreaterThanOrEqual(counter);
            }
          }
          for (const [id, slot] of Object.entries(side.body.slots)) {
            expect(merged.body.slots[id]).toBeDefined();
            if (slot.deleted) expect(merged.body.slots[id]!.deleted).toBe(true);
          }
        }
      }),
      runs,
    );
  });
});
