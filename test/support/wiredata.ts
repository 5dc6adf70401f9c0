// Access to the YubiKey recordings copied into test/fixtures (provenance inside the JSON file).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../src/ctap/bytes.js';
import { reportsFromHex } from './scriptedHid.js';

interface WiredataFile {
  provenance: string;
  wiredata: Record<string, { hex: string; note: string }>;
  regress: Record<string, string>;
}

const file = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/libfido2-wiredata.json', import.meta.url)), 'utf8'),
) as WiredataFile;

export function recordedReports(name: string): Uint8Array[] {
  const entry = file.wiredata[name];
  if (!entry) throw new Error(`no recording named ${name}`);
  return reportsFromHex(entry.hex);
}

/** A libfido2 regress vector (authData arrays there are CBOR byte strings, as the key sends them). */
export function regressVector(name: string): Uint8Array {
  const hex = file.regress[name];
  if (hex === undefined) throw new Error(`no regress vector named ${name}`);
  return fromHex(hex);
}

/** The CID libfido2's recordings were assigned at INIT. */
export const RECORDED_CID = 0x00220002;
