// HidConnection's timeout contract: a custom connection may say "no report in time" by resolving undefined.
import { describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { TransportError } from '../../../src/ctap/errors.js';
import { CtapHidDevice } from '../../../src/ctap/hid/CtapHidDevice.js';
import type { HidConnection } from '../../../src/ctap/transport.js';
import { VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';

/**
 * A connection in the style of a HID library that does not know our errors: when no report comes within the time
 * asked, read resolves undefined (as node-hid's readTimeout returns an empty answer). It counts how often it did.
 */
class UndefinedOnTimeout implements HidConnection {
  timeouts = 0;
  constructor(private readonly inner: HidConnection) {}

  write(report: Uint8Array): Promise<void> {
    return this.inner.write(report);
  }

  async read(timeoutMs: number): Promise<Uint8Array | undefined> {
    try {
      return await this.inner.read(timeoutMs);
    } catch (error) {
      if (!(error instanceof TransportError && error.code === 'timeout')) throw error;
      this.timeouts++;
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('HidConnection timeout contract', () => {
  it('keeps waiting through reads that resolve undefined, as through TransportError(timeout)', async () => {
    // No keepalives while the key waits for the touch: the client's 200 ms read slices come back empty several times.
    const key = new VirtualAuthenticator({
      presence: () => new Promise((r) => setTimeout(() => r(true), 700)),
      keepaliveIntervalMs: 5_000,
    });
    const conn = new UndefinedOnTimeout(key.hidConnection());
    const ctap2 = await Ctap2.create(await CtapHidDevice.open(conn));
    const made = await ctap2.makeCredential(
      {
        clientDataHash: new Uint8Array(32),
        rp: { id: 'latchkey.localhost' },
        user: { id: Uint8Array.of(1), name: 'me' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      },
      { timeoutMs: 10_000 },
    );
    expect(made.authData.flags.up).toBe(true);
    expect(conn.timeouts).toBeGreaterThan(0);
  });

  it('still ends the request with TransportError(timeout) at the caller\u2019s deadline', async () => {
    const key = new VirtualAuthenticator({ presence: () => new Promise(() => undefined), keepaliveIntervalMs: 5_000 });
    const ctap2 = await Ctap2.create(await CtapHidDevice.open(new UndefinedOnTimeout(key.hidConnection())));
    const request = {
      clientDataHash: new Uint8Array(32),
      rp: { id: 'latchkey.localhost' },
      user: { id: Uint8Array.of(1), name: 'me' },
      pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
    };
    await expect(ctap2.makeCredential(request, { timeoutMs: 500 })).rejects.toMatchObject({
      name: 'TransportError',
      code: 'timeout',
    });
  });
});
