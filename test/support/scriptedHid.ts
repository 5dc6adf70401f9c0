// A HidConnection whose device side is a script: replay recorded reports, or answer each written frame with a function.

import { TransportError } from '../../src/ctap/errors.js';
import type { HidConnection } from '../../src/ctap/transport.js';
import { fromHex } from '../../src/ctap/bytes.js';

export type FrameResponder = (frame: Uint8Array, conn: ScriptedHidConnection) => void;

export class ScriptedHidConnection implements HidConnection {
  readonly written: Uint8Array[] = [];
  private readonly inbox: Uint8Array[] = [];
  private waiter: ((frame: Uint8Array) => void) | undefined;
  closed = false;

  constructor(private readonly responder?: FrameResponder) {}

  /** Queues device-to-host reports. */
  push(...reports: Uint8Array[]): void {
    for (const r of reports) {
      const w = this.waiter;
      if (w) {
        this.waiter = undefined;
        w(r);
      } else this.inbox.push(r);
    }
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'scripted connection closed');
    if (report.length !== 64) throw new Error(`test connection expects 64-byte reports, got ${report.length}`);
    this.written.push(report.slice());
    this.responder?.(report, this);
  }

  read(timeoutMs: number): Promise<Uint8Array> {
    const next = this.inbox.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new TransportError('timeout', `no report within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Splits concatenated 64-byte reports (the libfido2 wiredata layout). */
export function reportsFromHex(hex: string): Uint8Array[] {
  const bytes = fromHex(hex);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 64) out.push(bytes.slice(i, i + 64));
  return out;
}
