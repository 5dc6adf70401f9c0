// A CtapDevice that records each request and answers from a queue: for asserting exact request bytes.

import type { CallOptions, CtapDevice } from '../../src/ctap/transport.js';

export class CaptureDevice implements CtapDevice {
  readonly transport = 'virtual' as const;
  readonly maxPayloadSize = 7609;
  readonly capabilities = { cbor: true, msg: true, wink: false, lock: false };
  readonly requests: { cmd: number; payload: Uint8Array }[] = [];

  constructor(private readonly answers: Uint8Array[] = []) {}

  async call(cmd: number, payload: Uint8Array, _opts?: CallOptions): Promise<Uint8Array> {
    this.requests.push({ cmd, payload: payload.slice() });
    return this.answers.shift() ?? Uint8Array.of(0);
  }

  async close(): Promise<void> {}
}
