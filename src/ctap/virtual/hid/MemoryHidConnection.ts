// The client end of an in-memory HID pipe to a virtual key: 64-byte reports out, the key's reports in.

import { TransportError } from '../../errors.js';
import { HID_REPORT_SIZE } from '../../hid/constants.js';
import type { HidConnection } from '../../transport.js';
import { copyBytes } from '../../bytes.js';

interface Reader {
  resolve(report: Uint8Array): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class MemoryHidConnection implements HidConnection {
  private readonly inbox: Uint8Array[] = [];
  private readonly readers: Reader[] = [];
  private closed = false;

  constructor(
    private readonly toDevice: (report: Uint8Array) => void,
    private readonly onClose: (conn: MemoryHidConnection) => void,
  ) {}

  /** Sends one output report. Like a HID write of the wrong size, anything but 64 bytes fails and reaches no device. */
  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'the virtual HID connection is closed');
    if (report.length !== HID_REPORT_SIZE) {
      throw new TransportError('framing', `HID report of ${report.length} bytes, expected ${HID_REPORT_SIZE}`);
    }
    this.toDevice(copyBytes(report));
  }

  read(timeoutMs: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new TransportError('closed', 'the virtual HID connection is closed'));
    const next = this.inbox.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const reader: Reader = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.readers.splice(this.readers.indexOf(reader), 1);
          reject(new TransportError('timeout', `no HID report within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.readers.push(reader);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    for (const reader of this.readers.splice(0)) {
      clearTimeout(reader.timer);
      reader.reject(new TransportError('closed', 'the virtual HID connection was closed while reading'));
    }
    this.onClose(this);
  }

  /** Device side: queues an input report for this application. */
  deliver(report: Uint8Array): void {
    if (this.closed) return;
    const reader = this.readers.shift();
    if (reader) {
      clearTimeout(reader.timer);
      reader.resolve(report);
    } else {
      this.inbox.push(report);
    }
  }
}
