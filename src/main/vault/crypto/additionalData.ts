// The additional data bound to every ciphertext and to the slot set's MAC (docs/vault-format.md, "Additional data").

import type { Hlc } from '../clock/HybridLogicalClock.js';
import { canonicalJson } from './canonicalJson.js';

export const VAULT_FORMAT = 'latchkey-vault';
export const VAULT_VERSION = 1;

/** What ties a record to one vault and one master key: format, version, vault UUID, key epoch. */
export interface VaultHeader {
  vault: string;
  epoch: number;
}

function headerItems(header: VaultHeader): (string | number)[] {
  return [VAULT_FORMAT, VAULT_VERSION, header.vault, header.epoch];
}

/** JSON arrays rather than a binary layout: the decryptor rebuilds them with JSON.stringify in one line. */
function encode(items: unknown[]): Buffer {
  return Buffer.from(JSON.stringify(items), 'utf8');
}

export function entryAad(header: VaultHeader, id: string, hlc: Hlc, deleted: boolean): Buffer {
  return encode([...headerItems(header), 'entry', id, [hlc.wall, hlc.counter, hlc.device], deleted]);
}

/** `layer` names an inner layer of a slot (the recovery slot's secret under the code or the master key). */
export function slotAad(header: VaultHeader, id: string, type: string, share: string, layer?: string): Buffer {
  return encode([...headerItems(header), 'slot', id, type, share, ...(layer === undefined ? [] : [layer])]);
}

/**
 * The open cache's (file/openCache.ts): the header, so a cache of another vault or key epoch never opens, and the
 * cache's layout versions (its container's, its values'), so a Latchkey that reads records differently ignores an older
 * cache instead of trusting it.
 */
export function openCacheAad(header: VaultHeader, layout: readonly number[]): Buffer {
  return encode([...headerItems(header), 'open-cache', ...layout]);
}

/** The slot set as the MAC sees it: the mode and every slot record (tombstones included), members sorted. */
export function slotSetBytes(header: VaultHeader, mode: string, slots: unknown): Buffer {
  return encode([...headerItems(header), 'slots', mode, JSON.parse(canonicalJson(slots))]);
}
