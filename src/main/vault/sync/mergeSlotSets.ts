// Merges the slot sets of two copies of one vault as a set keyed by UUID: a slot added on either side stays, a
// removed slot stays removed.

import { compareHlc } from '../clock/HybridLogicalClock.js';
import { canonicalJson } from '../crypto/canonicalJson.js';
import type { Slot } from '../slots/slotSchema.js';

/**
 * A total order on the records of one slot: a tombstone above any live record (a revoked key must never come back
 * through an older copy that still holds its slot), then the clock, then the record's canonical JSON.
 */
function compareSlots(a: Slot, b: Slot): number {
  if (a.deleted !== b.deleted) return a.deleted ? 1 : -1;
  const byClock = compareHlc(a.hlc, b.hlc);
  if (byClock !== 0) return byClock;
  const [ja, jb] = [canonicalJson(a), canonicalJson(b)];
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** The union of both slot sets, each slot the greater of its two records. Slots hold no secret in the clear. */
export function mergeSlotSets(a: Record<string, Slot>, b: Record<string, Slot>): Record<string, Slot> {
  const merged: Record<string, Slot> = {};
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [fromA, fromB] = [a[id], b[id]];
    merged[id] = (fromA && fromB ? (compareSlots(fromA, fromB) >= 0 ? fromA : fromB) : (fromA ?? fromB))!;
  }
  return merged;
}
