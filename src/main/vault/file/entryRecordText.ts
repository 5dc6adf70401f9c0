// An entry record's canonical JSON, compact or indented, written from a template: the generic walk over 10,000 records
// was most of what saving a vault cost.

import { canonicalJsonIn, indentOf, type CanonicalLayout } from '../crypto/canonicalJson.js';
import type { EntryRecord } from './vaultFileSchema.js';

/**
 * True when the template writes exactly what the generic walk would: the record's members and its clock's, no more, of
 * the types the template spells (JSON.stringify writes a finite number as String does). A record of another shape,
 * which the format check refuses later, still gets its generic canonical form, so the checksum over it is the spec's.
 */
function fitsTemplate(record: unknown): record is EntryRecord {
  if (record === null || typeof record !== 'object') return false;
  const { hlc, deleted, nonce, ciphertext } = record as Record<string, unknown>;
  if (typeof deleted !== 'boolean' || typeof nonce !== 'string' || typeof ciphertext !== 'string') return false;
  if (hlc === null || typeof hlc !== 'object') return false;
  const { wall, counter, device } = hlc as Record<string, unknown>;
  if (!Number.isFinite(wall) || !Number.isFinite(counter) || typeof device !== 'string') return false;
  return Object.keys(record).length === 4 && Object.keys(hlc).length === 3;
}

/** The record's canonical form in `layout`: what canonicalJsonIn gives for it, faster. */
export function entryRecordText(record: unknown, layout: CanonicalLayout): string {
  if (!fitsTemplate(record)) return canonicalJsonIn(record, layout);
  const { hlc } = record;
  const ciphertext = JSON.stringify(record.ciphertext);
  const device = JSON.stringify(hlc.device);
  const nonce = JSON.stringify(record.nonce);
  if (layout === 'compact')
    return `{"ciphertext":${ciphertext},"deleted":${record.deleted},"hlc":{"counter":${hlc.counter},"device":${device},"wall":${hlc.wall}},"nonce":${nonce}}`;
  const [outer, member, inner] = [indentOf(layout.depth), indentOf(layout.depth + 1), indentOf(layout.depth + 2)];
  return (
    `{\n${member}"ciphertext": ${ciphertext},\n${member}"deleted": ${record.deleted},\n${member}"hlc": {\n` +
    `${inner}"counter": ${hlc.counter},\n${inner}"device": ${device},\n${inner}"wall": ${hlc.wall}\n${member}},\n` +
    `${member}"nonce": ${nonce}\n${outer}}`
  );
}
