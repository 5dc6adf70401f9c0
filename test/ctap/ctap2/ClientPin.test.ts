// ClientPin against a scripted Ctap2: exact clientPin parameter bytes (python-fido2 and libfido2 recordings), PIN rules, error reasons.

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/decode.js';
import { encodeCbor, type CborInput } from '../../../src/ctap/cbor/encode.js';
import type { CborMap, CborValue } from '../../../src/ctap/cbor/types.js';
import { ClientPin, PinUvAuthToken, type Ctap2Like } from '../../../src/ctap/ctap2/ClientPin.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type EncryptOptions,
  type PinUvAuthProtocol,
} from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { ClientError, CtapError, ProtocolError, TransportError } from '../../../src/ctap/errors.js';
import type { CallOptions } from '../../../src/ctap/transport.js';
import {
  coseKey,
  fuzzRuns,
  hex,
  PinnedV1,
  PinnedV2,
  unhex,
  vectors,
  type Flow,
} from '../../support/pinUvAuthVectors.js';
import { rejection } from '../../support/rejection.js';

/** One expected request: its exact CBOR (hex) or a check, then a CBOR answer (status byte + map, as on the wire) or a status to fail with. */
interface Step {
  request?: string;
  check?: (params: ReadonlyMap<number, CborInput | undefined>) => void;
  response?: string;
  answer?: CborMap;
  status?: number;
  error?: unknown;
}

/** A Ctap2 that asserts each clientPin request and replays the scripted answers in order. */
class ScriptedCtap2 implements Ctap2Like {
  readonly sent: ReadonlyMap<number, CborInput | undefined>[] = [];

  constructor(
    readonly info: Ctap2Like['info'],
    private readonly script: Step[],
  ) {}

  async send(cmd: number, params?: ReadonlyMap<number, CborInput | undefined>, _opts?: CallOptions): Promise<CborMap> {
    expect(cmd).toBe(0x06);
    expect(params).toBeDefined();
    const step = this.script.shift();
    if (!step) throw new Error(`unexpected request ${hex(encodeCbor(params!))}`);
    this.sent.push(params!);
    if (step.request !== undefined) expect(hex(encodeCbor(params!))).toBe(step.request);
    step.check?.(params!);
    if (step.error !== undefined) throw step.error;
    if (step.status !== undefined) throw new CtapError(step.status);
    if (step.answer) return step.answer;
    const bytes = unhex(step.response ?? '00');
    if (bytes[0] !== 0) throw new CtapError(bytes[0]!);
    return bytes.length === 1 ? new Map() : (decodeCbor(bytes.subarray(1)) as CborMap);
  }

  get done(): boolean {
    return this.script.length === 0;
  }
}

const info = (
  options: Record<string, boolean>,
  pinUvAuthProtocols: number[] = [2, 1],
  minPINLength?: number,
): Ctap2Like['info'] => ({
  options: new Map(Object.entries(options)),
  pinUvAuthProtocols,
  ...(minPINLength === undefined ? {} : { minPINLength }),
});

const CTAP21 = { clientPin: true, pinUvAuthToken: true };
const KEY_AGREEMENT = vectors.libfido2.authKey;

/** The getKeyAgreement request and the YubiKey's recorded answer. */
const keyAgreementStep = (version: 1 | 2): Step => ({ request: `a2010${version}0202`, response: KEY_AGREEMENT });
const retriesRequest = (version: 1 | 2, sub: 1 | 7): string => `a2010${version}020${sub}`;

function expectClientError(error: unknown, reason: ClientError['reason'], retriesLeft?: number): ClientError {
  expect(error).toBeInstanceOf(ClientError);
  const clientError = error as ClientError;
  expect(clientError.reason).toBe(reason);
  expect(clientError.retriesLeft).toBe(retriesLeft);
  return clientError;
}

/** Calls `hook` with every key and plaintext the protocol encrypts (the live buffers, so tests can check they were zeroed). */
function onEncrypt<P extends PinUvAuthProtocol>(
  protocol: P,
  hook: (key: Uint8Array, plaintext: Uint8Array) => void,
): P {
  const encrypt = protocol.encrypt.bind(protocol);
  protocol.encrypt = (key: Uint8Array, plaintext: Uint8Array, options?: EncryptOptions): Uint8Array => {
    hook(key, plaintext);
    return encrypt(key, plaintext, options);
  };
  return protocol;
}

/** Keeps references to what was encrypted with what key. */
function recording<P extends PinUvAuthProtocol>(
  protocol: P,
): { protocol: P; keys: Uint8Array[]; plaintexts: Uint8Array[] } {
  const keys: Uint8Array[] = [];
  const plaintexts: Uint8Array[] = [];
  onEncrypt(protocol, (key, plaintext) => {
    keys.push(key);
    plaintexts.push(plaintext);
  });
  return { protocol, keys, plaintexts };
}

const allZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

describe('ClientPin replays python-fido2 exchanges byte for byte', () => {
  const run = (flow: Flow, client: ClientPin): Promise<unknown> => {
    if (flow.name.startsWith('getPinToken legacy')) return client.getPinToken(vectors.pin);
    if (flow.name.startsWith('setPIN')) return client.setPin(vectors.multibytePin);
    if (flow.name.startsWith('changePIN')) return client.changePin(vectors.pin, vectors.newPin);
    if (flow.name.startsWith('getPINRetries')) return client.getPinRetries();
    if (flow.name.startsWith('getPinUvAuthTokenUsingPin'))
      return client.getPinToken(vectors.pin, { permissions: 0x03, rpId: 'latchkey.localhost' });
    if (flow.name.startsWith('getPinUvAuthTokenUsingUv'))
      return client.getUvToken({ permissions: ClientPin.PERMISSION.be });
    throw new Error(`no action for flow ${flow.name}`);
  };

  it.each(vectors.flows.map((flow) => [`protocol ${flow.protocol}: ${flow.name}`, flow] as const))(
    '%s',
    async (_name, flow) => {
      const ctap2 = new ScriptedCtap2(
        info(flow.options, [flow.protocol]),
        flow.calls.map((call) => ({ ...call })),
      );
      const client = new ClientPin(ctap2, flow.protocol === 2 ? new PinnedV2() : new PinnedV1());
      const result = await run(flow, client);
      expect(ctap2.done).toBe(true);
      if (flow.token !== undefined) {
        expect(result).toBeInstanceOf(PinUvAuthToken);
        expect(hex((result as PinUvAuthToken).token)).toBe(flow.token);
      }
      if (flow.result !== undefined)
        expect(result).toEqual({ retries: flow.result[0], powerCycleState: flow.result[1] ?? undefined });
    },
  );

  const byteFlows = vectors.flows.filter((flow) => flow.name.startsWith('setPIN') || flow.name.startsWith('changePIN'));
  it.each(byteFlows.map((flow) => [`protocol ${flow.protocol}: ${flow.name}`, flow] as const))(
    '%s, with the PINs given as UTF-8 bytes: the same exchange, and the caller\u2019s bytes left for it to zero',
    async (_name, flow) => {
      const ctap2 = new ScriptedCtap2(
        info(flow.options, [flow.protocol]),
        flow.calls.map((call) => ({ ...call })),
      );
      const client = new ClientPin(ctap2, flow.protocol === 2 ? new PinnedV2() : new PinnedV1());
      const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
      const given = flow.name.startsWith('setPIN')
        ? [utf8(vectors.multibytePin)]
        : [utf8(vectors.pin), utf8(vectors.newPin)];
      const copies = given.map((bytes) => Uint8Array.from(bytes));
      if (given.length === 1) await client.setPin(given[0]!);
      else await client.changePin(given[0]!, given[1]!);
      expect(ctap2.done).toBe(true);
      expect(given).toEqual(copies);
    },
  );
});

describe('ClientPin replays a YubiKey (libfido2 recordings)', () => {
  it('gets a 16-byte protocol one token with the legacy getPinToken from the recorded key agreement and token answers', async () => {
    const ctap2 = new ScriptedCtap2(info({ clientPin: true }, [1]), [
      { request: 'a201010202', response: vectors.libfido2.authKey },
      {
        check: (params) => {
          expect([...params.keys()]).toEqual([1, 2, 3, 6]);
          expect(params.get(2)).toBe(ClientPin.CMD.getPinToken);
          expect((params.get(6) as Uint8Array).length).toBe(16);
        },
        response: vectors.libfido2.pinToken,
      },
    ]);
    const token = await new ClientPin(ctap2, new PinnedV1()).getPinToken('1234');
    expect(token.token.length).toBe(16);
    expect(token.legacy).toBe(true);
    expect(token.protocol.version).toBe(1);
    expect(hex(token.token)).toBe(vectors.flows[0]!.token);
  });

  it('reads pinRetries 8 from the recorded getPINRetries answer', async () => {
    const ctap2 = new ScriptedCtap2(info({ clientPin: true }, [1]), [
      { request: 'a201010201', response: vectors.libfido2.retries },
    ]);
    expect(await new ClientPin(ctap2).getPinRetries()).toEqual({ retries: 8, powerCycleState: undefined });
  });
});

describe('ClientPin choice of protocol and support', () => {
  const fake = (options: Record<string, boolean>, protocols: number[]) =>
    new ScriptedCtap2(info(options, protocols), []);

  it('prefers protocol two when the key offers it, else one; a CTAP 2.0 key without the list gets one', () => {
    expect(new ClientPin(fake(CTAP21, [1, 2])).protocol.version).toBe(2);
    expect(new ClientPin(fake({ clientPin: true }, [1])).protocol.version).toBe(1);
    expect(new ClientPin(fake({ clientPin: false }, [])).protocol.version).toBe(1);
  });

  it('is supported with clientPin true or false, or pinUvAuthToken alone, but not without them or with unknown protocols', () => {
    expect(ClientPin.isSupported(info({ clientPin: false }))).toBe(true);
    expect(ClientPin.isSupported(info({ pinUvAuthToken: true, uv: true }))).toBe(true);
    expect(ClientPin.isSupported(info({ rk: true, up: true }))).toBe(false);
    expect(ClientPin.isSupported(info({ clientPin: true }, [3]))).toBe(false);
    expectClientError(
      rejectionSync(() => new ClientPin(fake({ rk: true }, [1]))),
      'device-not-supported',
    );
  });

  it('refuses a protocol the key does not offer', () => {
    const error = expectClientError(
      rejectionSync(() => new ClientPin(fake({ clientPin: true }, [1]), new PinUvAuthProtocolV2())),
      'device-not-supported',
    );
    expect(error.message).toContain('protocol 2');
  });

  it('has the spec numbers', () => {
    expect(ClientPin.CMD).toMatchObject({
      getPINRetries: 1,
      getKeyAgreement: 2,
      setPIN: 3,
      changePIN: 4,
      getPinToken: 5,
      getPinUvAuthTokenUsingUvWithPermissions: 6,
      getUVRetries: 7,
      getPinUvAuthTokenUsingPinWithPermissions: 9,
    });
    expect(ClientPin.PERMISSION).toMatchObject({ mc: 1, ga: 2, cm: 4, be: 8, lbw: 0x10, acfg: 0x20 });
    expect(ClientPin.RESULT).toEqual({
      keyAgreement: 1,
      pinUvAuthToken: 2,
      pinRetries: 3,
      powerCycleState: 4,
      uvRetries: 5,
    });
  });
});

function rejectionSync(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ClientPin parameters', () => {
  it.each([
    [1, 64, 16, 16, new PinUvAuthProtocolV1()],
    [2, 80, 32, 32, new PinUvAuthProtocolV2()],
  ] as const)(
    'protocol %s: changePIN sends keys 1-6 in order, newPinEnc %s bytes, pinHashEnc %s, pinUvAuthParam %s',
    async (version, newPinEncLength, pinHashEncLength, paramLength, protocol) => {
      const ctap2 = new ScriptedCtap2(info(CTAP21, [version]), [
        keyAgreementStep(version),
        {
          check: (params) => {
            expect([...params.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
            expect(params.get(1)).toBe(version);
            expect(params.get(2)).toBe(4);
            expect((params.get(5) as Uint8Array).length).toBe(newPinEncLength);
            expect((params.get(6) as Uint8Array).length).toBe(pinHashEncLength);
            expect((params.get(4) as Uint8Array).length).toBe(paramLength);
          },
        },
      ]);
      await new ClientPin(ctap2, protocol).changePin('1234', '98765');
      expect(ctap2.done).toBe(true);
    },
  );

  it('asks getPinUvAuthTokenUsingPinWithPermissions for mc|ga by default and leaves rpId out when not given', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [
      keyAgreementStep(2),
      {
        check: (params) => {
          expect(params.get(2)).toBe(9);
          expect(params.get(9)).toBe(3);
          expect(encodeCbor(params).length).toBeGreaterThan(0);
          expect(params.get(10)).toBeUndefined();
        },
        status: CtapStatus.CTAP2_ERR_PIN_BLOCKED,
      },
    ]);
    await rejection(new ClientPin(ctap2).getPinToken('1234'));
    expect(ctap2.done).toBe(true);
  });

  it('uses the legacy getPinToken without permissions when the key lacks pinUvAuthToken', async () => {
    const protocol = new PinnedV1();
    const ctap2 = new ScriptedCtap2(info({ clientPin: true }, [1]), [
      keyAgreementStep(1),
      { check: (params) => expect([...params.keys()]).toEqual([1, 2, 3, 6]), response: vectors.libfido2.pinToken },
    ]);
    const token = await new ClientPin(ctap2, protocol).getPinToken('1234', { permissions: ClientPin.PERMISSION.cm });
    expect(token.legacy).toBe(true);
    expect(token.permissions).toBe(ClientPin.PERMISSION.cm);
  });

  it('refuses zero or out-of-range permissions and an empty rpId before talking to the key', async () => {
    const client = new ClientPin(new ScriptedCtap2(info({ ...CTAP21, uv: true }), []));
    expectClientError(await rejection(client.getPinToken('1234', { permissions: 0 })), 'bad-request');
    expectClientError(await rejection(client.getPinToken('1234', { permissions: 0x100 })), 'bad-request');
    expectClientError(await rejection(client.getPinToken('1234', { rpId: '' })), 'bad-request');
    expectClientError(await rejection(client.getUvToken({ permissions: 0 })), 'bad-request');
  });

  it('refuses getUvToken on a key without built-in user verification', async () => {
    const client = new ClientPin(new ScriptedCtap2(info(CTAP21), []));
    expectClientError(
      await rejection(client.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: 'x.example' })),
      'device-not-supported',
    );
    const legacy = new ClientPin(new ScriptedCtap2(info({ clientPin: true, uv: true }, [1]), []));
    expectClientError(
      await rejection(legacy.getUvToken({ permissions: ClientPin.PERMISSION.ga })),
      'device-not-supported',
    );
  });

  it('returns the powerCycleState and UV retries the key reports', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21), [
      {
        request: retriesRequest(2, 1),
        answer: new Map<number, CborValue>([
          [3, 2],
          [4, true],
        ]),
      },
      { request: retriesRequest(2, 7), answer: new Map<number, CborValue>([[5, 3]]) },
    ]);
    const client = new ClientPin(ctap2);
    expect(await client.getPinRetries()).toEqual({ retries: 2, powerCycleState: true });
    expect(await client.getUvRetries()).toEqual({ retries: 3 });
  });

  it('names the field when a retries answer is malformed', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21), [
      { answer: new Map<number, CborValue>([[3, -1]]) },
      {
        answer: new Map<number, CborValue>([
          [3, 1],
          [4, 1],
        ]),
      },
    ]);
    const client = new ClientPin(ctap2);
    const error = await rejection(client.getPinRetries());
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toBe(
      'clientPin response field 0x03 is the integer -1, expected an unsigned integer',
    );
    expect(((await rejection(client.getPinRetries())) as Error).message).toMatch(
      /0x04 is the integer 1, expected a boolean/,
    );
  });
});

describe('ClientPin PIN rules (CTAP 2.1 section 6.5.1)', () => {
  /** setPin against a key that answers everything; returns the padded PIN the protocol was asked to encrypt. */
  async function paddedPinSent(pin: string, minPINLength?: number): Promise<Uint8Array> {
    const copies: Uint8Array[] = [];
    const protocol = onEncrypt(new PinnedV1(), (_key, plaintext) => copies.push(plaintext.slice()));
    const ctap2 = new ScriptedCtap2(info({ clientPin: false }, [1], minPINLength), [keyAgreementStep(1), {}]);
    await new ClientPin(ctap2, protocol).setPin(pin);
    expect(copies.length).toBe(1);
    return copies[0]!;
  }

  const policy = async (promise: Promise<unknown>, message: RegExp): Promise<void> => {
    const error = expectClientError(await rejection(promise), 'pin-policy-violation');
    expect(error.message).toMatch(message);
  };
  const noKey = (minPINLength?: number) =>
    new ClientPin(new ScriptedCtap2(info({ clientPin: false }, [1], minPINLength), []));

  it('pads a 4-digit PIN with zeros to 64 bytes', async () => {
    const sent = await paddedPinSent('1234');
    expect(sent.length).toBe(64);
    expect(hex(sent)).toBe('31323334' + '00'.repeat(60));
  });

  it('counts code points, not UTF-16 units or bytes, against the minimum', async () => {
    await policy(noKey().setPin('\u{1F511}\u{1F511}\u{1F511}'), /at least 4 characters; it has 3/);
    expect((await paddedPinSent('\u{1F511}\u{1F511}\u{1F511}\u{1F511}')).subarray(0, 17)).toEqual(
      new Uint8Array([...Buffer.from('\u{1F511}'.repeat(4)), 0]),
    );
    // "ñandú🔑" is 6 code points but 7 UTF-16 units: a minPINLength of 7 must refuse it.
    await policy(noKey(7).setPin(vectors.multibytePin), /at least 7 characters; it has 6/);
    expect(hex((await paddedPinSent(vectors.multibytePin, 6)).subarray(0, 12))).toBe('c3b1616e64c3baf09f949100');
  });

  it('allows 63 bytes of UTF-8 and refuses 64', async () => {
    expect((await paddedPinSent('\u20ac'.repeat(21)))[63]).toBe(0);
    await policy(noKey().setPin('\u{1F511}'.repeat(16)), /at most 63 bytes in UTF-8; it is 64 bytes/);
    await policy(noKey().setPin('a'.repeat(64)), /it is 64 bytes/);
  });

  it("uses the key's minPINLength for a new PIN but only the spec minimum for the current one", async () => {
    await policy(noKey(6).setPin('12345'), /at least 6 characters; it has 5/);
    await policy(noKey(6).changePin('1234', '12345'), /new PIN must have at least 6/);
    await policy(noKey(6).getPinToken('123'), /PIN must have at least 4/);
    const ctap2 = new ScriptedCtap2(info({ clientPin: true }, [1], 6), [
      keyAgreementStep(1),
      { status: CtapStatus.CTAP2_ERR_PIN_BLOCKED },
    ]);
    expectClientError(await rejection(new ClientPin(ctap2).getPinToken('1234')), 'pin-blocked', 0);
  });

  it('normalizes to NFC before counting, encoding and hashing', async () => {
    const decomposed = 'n\u0303and\u00fa\u{1F511}';
    expect(hex((await paddedPinSent(decomposed, 6)).subarray(0, 11))).toBe(
      hex(new TextEncoder().encode(vectors.multibytePin)),
    );
    const hashes: string[] = [];
    for (const pin of [decomposed, vectors.multibytePin]) {
      const protocol = onEncrypt(new PinnedV1(), (_key, plaintext) => hashes.push(hex(plaintext)));
      const ctap2 = new ScriptedCtap2(info({ clientPin: true }, [1]), [
        keyAgreementStep(1),
        { status: CtapStatus.CTAP2_ERR_PIN_BLOCKED },
      ]);
      await rejection(new ClientPin(ctap2, protocol).getPinToken(pin));
    }
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('refuses NUL characters and unpaired surrogates', async () => {
    await policy(noKey().setPin('12\u000034'), /NUL/);
    await policy(noKey().setPin('123\ud800'), /unpaired surrogate/);
  });

  it('never puts the PIN in an error message', async () => {
    const error = (await rejection(noKey(9).setPin('s3cr3t-pin'))) as Error;
    expect(error.message).not.toContain('s3cr3t');
  });
});

describe('ClientPin error reasons', () => {
  const tokenAttempt = (status: number, then: Step[] = [], options: Record<string, boolean> = CTAP21) => {
    const ctap2 = new ScriptedCtap2(info(options, [2]), [keyAgreementStep(2), { status }, ...then]);
    return { ctap2, client: new ClientPin(ctap2) };
  };

  it('a wrong PIN gives pin-invalid with the retries the key reports afterwards', async () => {
    const { ctap2, client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_INVALID, [
      { request: retriesRequest(2, 1), answer: new Map([[3, 5]]) },
    ]);
    const error = expectClientError(await rejection(client.getPinToken('0000')), 'pin-invalid', 5);
    expect(error.message).toBe('Wrong PIN. 5 attempts left.');
    expect((error.cause as CtapError).status).toBe(CtapStatus.CTAP2_ERR_PIN_INVALID);
    expect(ctap2.done).toBe(true);
  });

  it('a wrong PIN still gives pin-invalid when the retries cannot be read', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_INVALID, [
      { error: new TransportError('timeout', 'no answer') },
    ]);
    expectClientError(await rejection(client.getPinToken('0000')), 'pin-invalid', undefined);
  });

  it('a wrong current PIN in changePIN gives pin-invalid with retries too', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21, [1]), [
      keyAgreementStep(1),
      { status: CtapStatus.CTAP2_ERR_PIN_INVALID },
      { request: retriesRequest(1, 1), answer: new Map([[3, 1]]) },
    ]);
    const error = expectClientError(await rejection(new ClientPin(ctap2).changePin('0000', '1111')), 'pin-invalid', 1);
    expect(error.message).toContain('1 attempt left.');
  });

  it('three wrong PINs in a row give pin-auth-blocked with retries', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED, [
      {
        request: retriesRequest(2, 1),
        answer: new Map<number, CborValue>([
          [3, 4],
          [4, true],
        ]),
      },
    ]);
    const error = expectClientError(await rejection(client.getPinToken('0000')), 'pin-auth-blocked', 4);
    expect(error.message).toContain('unplug');
  });

  it('a blocked PIN gives pin-blocked with 0 retries and no further request', async () => {
    const { ctap2, client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    expectClientError(await rejection(client.getPinToken('0000')), 'pin-blocked', 0);
    expect(ctap2.done).toBe(true);
  });

  it('a key without a PIN gives pin-not-set', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    expectClientError(await rejection(client.getPinToken('1234')), 'pin-not-set');
  });

  it('forcePINChange (PIN_POLICY_VIOLATION on a token request) gives pin-change-required', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    expectClientError(await rejection(client.getPinToken('1234')), 'pin-change-required');
  });

  it("a new PIN the key's own policy refuses gives pin-policy-violation", async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [
      keyAgreementStep(2),
      { status: CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION },
    ]);
    expectClientError(await rejection(new ClientPin(ctap2).changePin('1234', '1111')), 'pin-policy-violation');
  });

  it('setPIN on a key that already has a PIN gives not-allowed', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [
      keyAgreementStep(2),
      { status: CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID },
    ]);
    const error = expectClientError(await rejection(new ClientPin(ctap2).setPin('1234')), 'not-allowed');
    expect(error.message).toContain('already set');
  });

  it('a fingerprint that does not match gives uv-invalid with the UV retries', async () => {
    const { ctap2, client } = tokenAttempt(
      CtapStatus.CTAP2_ERR_UV_INVALID,
      [{ request: retriesRequest(2, 7), answer: new Map([[5, 2]]) }],
      { ...CTAP21, uv: true },
    );
    expectClientError(
      await rejection(client.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: 'latchkey.localhost' })),
      'uv-invalid',
      2,
    );
    expect(ctap2.done).toBe(true);
  });

  it('blocked built-in UV gives uv-blocked with 0 retries', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP2_ERR_UV_BLOCKED, [], { ...CTAP21, uv: true });
    expectClientError(await rejection(client.getUvToken({ permissions: ClientPin.PERMISSION.be })), 'uv-blocked', 0);
  });

  it('passes other CTAP and transport errors through unchanged', async () => {
    const { client } = tokenAttempt(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    const error = await rejection(client.getPinToken('1234'));
    expect(error).toBeInstanceOf(CtapError);
    const cancelled = new TransportError('cancelled', 'aborted');
    const ctap2 = new ScriptedCtap2(info(CTAP21), [{ error: cancelled }]);
    expect(await rejection(new ClientPin(ctap2).getPinRetries())).toBe(cancelled);
  });
});

describe('ClientPin secrets', () => {
  it('zeroes the PIN hash, the padded PINs and the shared secret after changePIN', async () => {
    const { protocol, keys, plaintexts } = recording(new PinnedV2());
    const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [keyAgreementStep(2), {}]);
    await new ClientPin(ctap2, protocol).changePin('1234', '4321');
    expect(plaintexts.map((p) => p.length)).toEqual([16, 64]);
    expect(plaintexts.every(allZero)).toBe(true);
    expect(keys.every(allZero)).toBe(true);
  });

  it('zeroes them on failure paths too', async () => {
    for (const failure of [
      { status: CtapStatus.CTAP2_ERR_PIN_BLOCKED },
      { answer: new Map<number, CborValue>([[2, new Uint8Array(20)]]) },
      { error: new TransportError('closed', 'gone') },
    ]) {
      const { protocol, keys, plaintexts } = recording(new PinnedV2());
      const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [keyAgreementStep(2), failure]);
      await rejection(new ClientPin(ctap2, protocol).getPinToken('1234'));
      expect(plaintexts.length).toBe(1);
      expect(plaintexts.every(allZero)).toBe(true);
      expect(keys.every(allZero)).toBe(true);
    }
  });

  it('computes pinUvAuthParam with the token, zeroes it on dispose and then refuses to use it', async () => {
    const flow = vectors.flows.find((f) => f.name.startsWith('getPinUvAuthTokenUsingPin'))!;
    const ctap2 = new ScriptedCtap2(
      info(flow.options, [2]),
      flow.calls.map((c) => ({ ...c })),
    );
    const token = await new ClientPin(ctap2, new PinnedV2()).getPinToken(vectors.pin, {
      permissions: 3,
      rpId: 'latchkey.localhost',
    });
    expect(token.permissions).toBe(3);
    expect(token.rpId).toBe('latchkey.localhost');
    expect(token.legacy).toBe(false);
    const cdh = unhex(vectors.clientDataHash);
    expect(hex(token.authenticate(cdh))).toBe(vectors.protocols['2'].pythonFido2Tests.tokenParam);
    expect(inspect(token)).not.toContain(flow.token);
    expect(JSON.stringify(token)).toBe('{"protocol":2,"permissions":3,"rpId":"latchkey.localhost","legacy":false}');
    const bytes = token.token;
    token.dispose();
    expect(allZero(bytes)).toBe(true);
    expect(token.disposed).toBe(true);
    expectClientError(
      rejectionSync(() => token.authenticate(cdh)),
      'pin-required',
    );
  });

  it('refuses a token of the wrong length and zeroes what it decrypted', async () => {
    const ctap2 = new ScriptedCtap2(info(CTAP21, [2]), [
      keyAgreementStep(2),
      { answer: new Map<number, CborValue>([[2, new Uint8Array(32)]]) },
    ]);
    const error = await rejection(new ClientPin(ctap2).getPinToken('1234'));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/pinUvAuthToken is 16 bytes, expected 32/);
  });
});

describe('ClientPin property tests', () => {
  const anyValue: fc.Arbitrary<CborValue> = fc.oneof(
    fc.integer({ min: -30, max: 300 }),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 80 }),
    fc.array(fc.integer(), { maxLength: 3 }),
  );
  const goodKey = coseKey(vectors.peers.libfido2AuthKey);
  const keyAgreement: fc.Arbitrary<CborValue> = fc.oneof(
    fc.constant<CborValue>(goodKey),
    anyValue,
    fc.dictionary(fc.constantFrom('1', '3', '-1', '-2', '-3'), anyValue).map((entries) => {
      const key = new Map<number, CborValue>(goodKey);
      for (const [label, value] of Object.entries(entries)) key.set(Number(label), value);
      return key;
    }),
  );
  const answer = (value: fc.Arbitrary<CborValue>, keys: number[]): fc.Arbitrary<CborMap> =>
    fc
      .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 })
      .map((entries) => new Map<number, CborValue>(entries));
  const typedOnly = (error: unknown): void => {
    if (!(error instanceof ProtocolError) && !(error instanceof ClientError)) throw error;
  };

  it('getPinToken fails only with typed errors on any key agreement and token answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2),
        fc.oneof(
          keyAgreement.map((k) => new Map([[1, k]])),
          answer(anyValue, [1, 2]),
        ),
        answer(fc.oneof(anyValue, fc.uint8Array({ minLength: 16, maxLength: 64 })), [2, 3]),
        async (version, first, second) => {
          const ctap2 = new ScriptedCtap2(info(CTAP21, [version]), [{ answer: first as CborMap }, { answer: second }]);
          try {
            (await new ClientPin(ctap2).getPinToken('1234')).dispose();
          } catch (error) {
            typedOnly(error);
          }
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  it('getPinRetries and getUvRetries fail only with ProtocolError on any answer', async () => {
    await fc.assert(
      fc.asyncProperty(answer(anyValue, [3, 4, 5]), async (response) => {
        const ctap2 = new ScriptedCtap2(info({ ...CTAP21, uv: true }), [{ answer: response }, { answer: response }]);
        const client = new ClientPin(ctap2);
        for (const call of [() => client.getPinRetries(), () => client.getUvRetries()]) {
          try {
            await call();
          } catch (error) {
            if (!(error instanceof ProtocolError)) throw error;
          }
        }
      }),
      { numRuns: fuzzRuns },
    );
  });
});
