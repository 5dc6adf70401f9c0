// A HidConnection over node-hid: the leading report-ID byte on writes, timeouts on reads, removal noticed as 'closed'.

import { HID_REPORT_SIZE, type HidConnection, TransportError } from '../../../ctap/index.js';
import type { HidBackend, HidHandle } from './backend.js';
import { explainHidOpenError } from './openErrors.js';

export class NodeHidConnection implements HidConnection {
  private closed = false;
  private readonly writeBuffer = Buffer.alloc(HID_REPORT_SIZE + 1);

  private constructor(
    private readonly handle: HidHandle,
    readonly path: string,
  ) {}

  static async open(backend: HidBackend, path: string): Promise<NodeHidConnection> {
    try {
      return new NodeHidConnection(await backend.open(path), path);
    } catch (error) {
      throw explainHidOpenError(error, path);
    }
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'the HID connection is closed');
    if (report.length !== HID_REPORT_SIZE) {
      throw new TransportError('framing', `HID report of ${report.length} bytes, expected ${HID_REPORT_SIZE}`);
    }
    // FIDO keys use no report IDs; hidapi still wants a leading 0x00 in that byte (65 bytes in all).
    this.writeBuffer[0] = 0;
    this.writeBuffer.set(report, 1);
    try {
      const written = await this.handle.write(this.writeBuffer);
      if (written < HID_REPORT_SIZE) throw new Error(`wrote ${written} of ${HID_REPORT_SIZE + 1} bytes`);
    } catch (error) {
      throw this.removed(error);
    }
  }

  async read(timeoutMs: number): Promise<Uint8Array> {
    if (this.closed) throw new TransportError('closed', 'the HID connection is closed');
    let data: Buffer | undefined;
    try {
      data = await this.handle.read(Math.max(1, Math.ceil(timeoutMs)));
    } catch (error) {
      throw this.removed(error);
    }
    if (!data || data.length === 0) throw new TransportError('timeout', `no HID report within ${timeoutMs} ms`);
    return new Uint8Array(data.buffer, data.byteOffset, data.length).slice(0, HID_REPORT_SIZE);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }

  /** hidapi reports a pulled key as a failed read or write; after that the handle is useless. */
  private removed(error: unknown): TransportError {
    this.closed = true;
    this.handle.close().catch(() => undefined);
    return new TransportError('closed', `the security key at ${this.path} was removed or stopped answering`, {
      cause: error,
    });
  }
}
