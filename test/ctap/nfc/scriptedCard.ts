// A SmartCardConnection whose card is a script: each step names the exact APDU expected and the answer to give.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import type { SmartCardConnection } from '../../../src/ctap/transport.js';

export interface ScriptStep {
  /** The APDU the client must send next, as hex. */
  expect: string;
  /** The answer (data + SW) as hex, or a function producing it (for delays and failures). */
  reply: string | (() => Promise<string>);
}

export class ScriptedCard implements SmartCardConnection {
  /** Every APDU sent, as hex, in order. */
  readonly sent: string[] = [];
  closed = false;
  private readonly steps: ScriptStep[];

  constructor(steps: ScriptStep[]) {
    this.steps = [...steps];
  }

  /** Steps not yet consumed (a test ends with none left). */
  get remaining(): number {
    return this.steps.length;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const hex = toHex(apdu);
    this.sent.push(hex);
    const step = this.steps.shift();
    if (!step) throw new Error(`script exhausted, but the client sent ${hex}`);
    if (step.expect !== hex) throw new Error(`expected APDU ${step.expect}, got ${hex}`);
    return fromHex(typeof step.reply === 'string' ? step.reply : await step.reply());
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface NfcWiredataFile {
  provenance: string;
  wiredata: Record<string, { hex: string; note: string }>;
}

const wiredata = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/libfido2-nfc-wiredata.json', import.meta.url)), 'utf8'),
) as NfcWiredataFile;

/** A recorded smart-card answer from the libfido2 corpus (provenance in the fixture). */
export function recordedNfc(name: string): string {
  const entry = wiredata.wiredata[name];
  if (!entry) throw new Error(`no NFC recording named ${name}`);
  return entry.hex;
}

/** SELECT of the FIDO AID as CtapNfcDevice sends it: short case 4, Le 00. */
export const SELECT_APDU = '00a4040008a0000006472f000100';
/** 'FIDO_2_0' + 9000. */
export const FIDO_2_0_REPLY = toHex(new TextEncoder().encode('FIDO_2_0')) + '9000';

export function hex(bytes: Uint8Array): string {
  return toHex(bytes);
}

/** `n` bytes counting up from `start` (mod 256), as hex. */
export function patternHex(n: number, start = 0): string {
  return toHex(Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff));
}

export function delayed(ms: number, reply: string): () => Promise<string> {
  return () => new Promise((resolve) => setTimeout(() => resolve(reply), ms));
}
