// A HidConnection that answers each complete request at once with pre-recorded reports: as little work as a connection can do, so a bench times only the client.

import { CtapHidCmd } from '../src/ctap/hid/constants.js';
import { continuationCount, isInitFrame, readCid } from '../src/ctap/hid/frame.js';
import type { HidConnection } from '../src/ctap/transport.js';

/**
 * @param answerFor given the CTAPHID command and the first payload byte (the CTAP2 command for CBOR), the reports to play back.
 * @param initAnswer the INIT answer template; the request's nonce is patched in at offset 7.
 */
export class ReplayConnection implements HidConnection {
  // The answer being played and the next report of it: no queue to push to and shift from on every call.
  private playing: readonly Uint8Array[] = [];
  private next = 0;
  private remaining = 0;
  private pendingCmd = 0;
  private pendingFirstByte = 0;

  constructor(
    private readonly answerFor: (cmd: number, firstByte: number) => Uint8Array[],
    private readonly initAnswer: Uint8Array,
  ) {}

  async write(report: Uint8Array): Promise<void> {
    if (isInitFrame(report)) {
      const cmd = report[4]! & 0x7f;
      this.remaining = continuationCount((report[5]! << 8) | report[6]!);
      if (cmd === CtapHidCmd.INIT && readCid(report) === 0xffffffff) {
        const init = this.initAnswer.slice();
        init.set(report.subarray(7, 15), 7);
        this.play([init]);
        return;
      }
      this.pendingCmd = cmd;
      this.pendingFirstByte = report[7]!;
    } else this.remaining--;
    if (this.remaining === 0) this.play(this.answerFor(this.pendingCmd, this.pendingFirstByte));
  }

  async read(): Promise<Uint8Array> {
    if (this.next >= this.playing.length) throw new Error('replay connection read with nothing queued');
    return this.playing[this.next++]!;
  }

  private play(reports: readonly Uint8Array[]): void {
    if (this.next < this.playing.length)
      throw new Error('replay connection got a request before its last answer was read');
    this.playing = reports;
    this.next = 0;
  }

  async close(): Promise<void> {}
}
