// hmac-secret and hmac-secret-mc inputs pinned to bytes computed with openssl, outputs decrypted, and the prf salt mapping.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/ctap/bytes.js';
import { encodeCbor, type CborInput } from '../../../../src/ctap/cbor/encode.js';
import type { CborMap } from '../../../../src/ctap/cbor/types.js';
import { Ctap2 } from '../../../../src/ctap/ctap2/Ctap2.js';
import { extensionMap } from '../../../../src/ctap/ctap2/extensions/extension.js';
import {
  hmacSecretCreateInput,
  hmacSecretGetInput,
  hmacSecretMcInput,
  isHmacSecretMcSupported,
  isHmacSecretSupported,
  parseHmacSecretCreateOutput,
  parseHmacSecretMcOutput,
  parseHmacSecretOutput,
  prfSalt,
  prfSalts,
} from '../../../../src/ctap/ctap2/extensions/hmacSecret.js';
import {
  Encapsulation,
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
} from '../../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { ClientError, ProtocolError } from '../../../../src/ctap/errors.js';
import { CaptureDevice } from '../../../support/captureDevice.js';
import { minimalInfo } from '../../../support/minimalInfo.js';

// Fixed inputs; every expected byte below was computed with `openssl enc -aes-256-cbc -nopad` and Python's hmac module.
const X = '11'.repeat(32);
const Y = '22'.repeat(32);
const keyAgreement = (): Map<number, number | Uint8Array> =>
  new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -25],
    [-1, 1],
    [-2, fromHex(X)],
    [-3, fromHex(Y)],
  ]);
const range = (from: number, count: number): Uint8Array => Uint8Array.from({ length: count }, (_, i) => from + i);
const SHARED_V1 = range(0x01, 32);
const SHARED_V2 = range(0x81, 64);
const SALT1 = range(0x40, 32);
const SALT2 = range(0x60, 32);
const IV = range(0xf0, 16);
const OUT1 = range(0xc0, 32);
const OUT2 = range(0xe0, 32);

/** The keyAgreement COSE_Key as canonical CBOR: {1: 2, 3: -25, -1: 1, -2: x, -3: y}. */
const COSE_HEX = `a501020338182001215820${X}225820${Y}`;
/** "hmac-secret" as a CBOR text string. */
const HMAC_SECRET_KEY = '6b' + toHex(new TextEncoder().encode('hmac-secret'));

const v1 = () => ({
  protocol: new PinUvAuthProtocolV1(),
  encapsulation: new Encapsulation(keyAgreement(), SHARED_V1.slice()),
});
const v2 = () => ({
  protocol: new PinUvAuthProtocolV2(),
  encapsulation: new Encapsulation(keyAgreement(), SHARED_V2.slice()),
});

const info = (...extensions: string[]) => ({ extensions });

describe('hmac-secret input', () => {
  it('protocol 1, one salt: {1: keyAgreement, 2: AES-CBC(zero IV) of the salt, 3: 16-byte saltAuth}, no protocol key', () => {
    const input = hmacSecretGetInput({ ...v1(), salt1: SALT1 });
    expect(toHex(encodeCbor(extensionMap(input)))).toBe(
      'a1' +
        HMAC_SECRET_KEY +
        'a3' +
        '01' +
        COSE_HEX +
        '025820' +
        '0d3c25c2f4fe5ca911c6285e90e9eb86fb8834855ee11643c42c107897cb5aad' +
        '0350' +
        'a8b287683665ddcf45c98357fdad2ac8',
    );
  });

  it('protocol 1, two salts: saltEnc covers salt1 || salt2', () => {
    const input = hmacSecretGetInput({ ...v1(), salt1: SALT1, salt2: SALT2 });
    expect(toHex(encodeCbor(input.input))).toBe(
      'a3' +
        '01' +
        COSE_HEX +
        '025840' +
        '0d3c25c2f4fe5ca911c6285e90e9eb86fb8834855ee11643c42c107897cb5aad10e19ceabf63be95ed9a761dcf4d3234e92ef0bcabe93ba4978fa35665008c20' +
        '0350' +
        '9d6a8ce209219f803eca15eff5579ec7',
    );
  });

  it('protocol 2, one salt: IV-prefixed saltEnc, 32-byte saltAuth with the HMAC half of the secret, and 4: 2', () => {
    const input = hmacSecretGetInput({ ...v2(), salt1: SALT1, iv: IV });
    expect(toHex(encodeCbor(input.input))).toBe(
      'a4' +
        '01' +
        COSE_HEX +
        '025830' +
        'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff2e3b6a83029965728c7c3215a271f09a98e2acc1dba7dbc9006020365eb45cdb' +
        '035820' +
        '2bf2a0f6d22ffb8696aa2ba28ef1c5a7b5afc59cfc1f04e600c27176860673fc' +
        '0402',
    );
  });

  it('protocol 2, two salts', () => {
    const input = hmacSecretGetInput({ ...v2(), salt1: SALT1, salt2: SALT2, iv: IV });
    expect(toHex(encodeCbor(input.input))).toBe(
      'a4' +
        '01' +
        COSE_HEX +
        '025850' +
        'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff2e3b6a83029965728c7c3215a271f09a98e2acc1dba7dbc9006020365eb45cdb8862f6f4fb12eb3f5a3d785c20a0cfcc292d72f03e3f2a90f2b5e227875b6d80' +
        '035820' +
        '5ab4526619cee4d93a8e88a1c0538d9cfef4cec04654e2d3118d0c0a3cf1e81d' +
        '0402',
    );
  });

  it('hmac-secret-mc carries the same map under its own identifier, next to hmac-secret: true', () => {
    const shared = v2();
    const mc = hmacSecretMcInput({ ...shared, salt1: SALT1, iv: IV });
    const get = hmacSecretGetInput({ ...shared, salt1: SALT1, iv: IV });
    expect(mc.id).toBe('hmac-secret-mc');
    expect(toHex(encodeCbor(mc.input))).toBe(toHex(encodeCbor(get.input)));
    const encoded = toHex(encodeCbor(extensionMap(hmacSecretCreateInput(), mc)));
    // Canonical order: "hmac-secret" (11 bytes) before "hmac-secret-mc" (14 bytes).
    expect(
      encoded.startsWith(
        'a2' + HMAC_SECRET_KEY + 'f5' + '6e' + toHex(new TextEncoder().encode('hmac-secret-mc')) + 'a4',
      ),
    ).toBe(true);
  });

  it('leaves the caller\u2019s salts and shared secret intact and refuses salts that are not 32 bytes', () => {
    const shared = v1();
    hmacSecretGetInput({ ...shared, salt1: SALT1, salt2: SALT2 });
    expect(SALT1).toEqual(range(0x40, 32));
    expect(SALT2).toEqual(range(0x60, 32));
    expect(shared.encapsulation.sharedSecret).toEqual(SHARED_V1);
    expect(() => hmacSecretGetInput({ ...shared, salt1: new Uint8Array(31) })).toThrow(ClientError);
    expect(() => hmacSecretGetInput({ ...shared, salt1: SALT1, salt2: new Uint8Array(64) })).toThrow(
      /salt2 must be 32 bytes/,
    );
  });

  it('reads support from getInfo: hmac-secret-mc needs hmac-secret too', () => {
    expect(isHmacSecretSupported(info('credProtect', 'hmac-secret'))).toBe(true);
    expect(isHmacSecretSupported(info('credProtect'))).toBe(false);
    expect(isHmacSecretMcSupported(info('hmac-secret', 'hmac-secret-mc'))).toBe(true);
    expect(isHmacSecretMcSupported(info('hmac-secret-mc'))).toBe(false);
  });
});

describe('hmac-secret output', () => {
  const outputs = (id: string, hex: string): CborMap => new Map([[id, fromHex(hex)]]);

  it('decrypts a protocol 1 answer into output1 and output2', () => {
    const ext = outputs(
      'hmac-secret',
      'a67960a45588351d4c2e635c7cf7c8c6c5643e38bf000806e7576c61a7f57b808ede2be46b19fdb98380ebd834489cffce785780a4639cae969145580dafa129',
    );
    const out = parseHmacSecretOutput(ext, { ...v1(), saltCount: 2 })!;
    expect(out.output1).toEqual(OUT1);
    expect(out.output2).toEqual(OUT2);
  });

  it('decrypts a protocol 2 answer (IV first) with one salt, and an hmac-secret-mc answer with two', () => {
    const one = parseHmacSecretOutput(
      outputs(
        'hmac-secret',
        '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a33c62384038fb3fa2ad297d0f9971ed2c793a40ce9f855067c5213c91e735ef5',
      ),
      { ...v2(), saltCount: 1 },
    )!;
    expect(one.output1).toEqual(OUT1);
    expect(one.output2).toBeUndefined();
    const mc = parseHmacSecretMcOutput(
      outputs(
        'hmac-secret-mc',
        '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a33c62384038fb3fa2ad297d0f9971ed2c793a40ce9f855067c5213c91e735ef57475dac10a06d195520c65f0df52bc411c41f3dec1d97625b538e52d59d84707',
      ),
      { ...v2(), saltCount: 2 },
    )!;
    expect(mc.output1).toEqual(OUT1);
    expect(mc.output2).toEqual(OUT2);
  });

  it('zeroes the outputs on dispose() and keeps them out of util.inspect', async () => {
    const out = parseHmacSecretOutput(
      outputs('hmac-secret', 'a67960a45588351d4c2e635c7cf7c8c6c5643e38bf000806e7576c61a7f57b80'),
      { ...v1(), saltCount: 1 },
    )!;
    const { inspect } = await import('node:util');
    expect(inspect(out)).toBe('HmacSecretOutput { outputs: 1 (redacted) }');
    const view = out.output1;
    out.dispose();
    expect(view.every((b) => b === 0)).toBe(true);
  });

  it('returns undefined when the key sent no output, and reads hmac-secret: true from makeCredential', () => {
    expect(parseHmacSecretOutput(undefined, { ...v1(), saltCount: 1 })).toBeUndefined();
    expect(parseHmacSecretOutput(new Map([['credProtect', 2]]), { ...v1(), saltCount: 1 })).toBeUndefined();
    expect(parseHmacSecretCreateOutput(new Map([['hmac-secret', true]]))).toBe(true);
    expect(parseHmacSecretCreateOutput(new Map([['hmac-secret', false]]))).toBe(false);
    expect(parseHmacSecretCreateOutput(undefined)).toBeUndefined();
  });

  it('rejects outputs of the wrong type or length with ProtocolError', () => {
    const bad: [CborMap, 1 | 2, 'v1' | 'v2'][] = [
      [new Map([['hmac-secret', true]]), 1, 'v1'],
      [new Map([['hmac-secret', 'text']]), 1, 'v1'],
      [outputs('hmac-secret', '00'.repeat(64)), 1, 'v1'],
      [outputs('hmac-secret', '00'.repeat(32)), 2, 'v1'],
      [outputs('hmac-secret', '00'.repeat(32)), 1, 'v2'],
      [outputs('hmac-secret', '00'.repeat(47)), 1, 'v2'],
    ];
    for (const [ext, saltCount, version] of bad) {
      const shared = version === 'v1' ? v1() : v2();
      expect(() => parseHmacSecretOutput(ext, { ...shared, saltCount })).toThrow(ProtocolError);
    }
    expect(() => parseHmacSecretCreateOutput(new Map([['hmac-secret', 1]]))).toThrow(ProtocolError);
  });

  it('goes through a real getAssertion: the input lands in parameter 0x04, the output comes back in authData', async () => {
    const shared = v1();
    const encrypted = fromHex('a67960a45588351d4c2e635c7cf7c8c6c5643e38bf000806e7576c61a7f57b80');
    const authData = new Uint8Array([
      ...new Uint8Array(32),
      0x85,
      0,
      0,
      0,
      7,
      ...encodeCbor(new Map([['hmac-secret', encrypted]])),
    ]);
    const answer = new Uint8Array([
      0,
      ...encodeCbor(
        new Map<number, CborInput>([
          [2, authData],
          [3, fromHex('3006020101020101')],
        ]),
      ),
    ]);
    const device = new CaptureDevice([answer]);
    const ctap2 = await Ctap2.create(device, { info: minimalInfo() });
    const credential = { type: 'public-key', id: fromHex('0102') };
    const assertion = await ctap2.getAssertion({
      rpId: 'example.com',
      clientDataHash: new Uint8Array(32),
      allowList: [credential],
      extensions: extensionMap(hmacSecretGetInput({ ...shared, salt1: SALT1 })),
    });
    const request = device.requests[0]!.payload;
    expect(toHex(request)).toContain('04a1' + HMAC_SECRET_KEY + 'a3');
    const out = parseHmacSecretOutput(assertion.authData.extensions, { ...shared, saltCount: 1 })!;
    expect(out.output1).toEqual(OUT1);
  });
});

describe('prf', () => {
  it('derives salts as SHA-256("WebAuthn PRF" || 0x00 || input)', () => {
    expect(toHex(prfSalt(new TextEncoder().encode('abc')))).toBe(
      '425507dfa7404b2fc3743ff9673c78e7b3c2f9d298b533ae2d8277203f73f4b7',
    );
    expect(toHex(prfSalt(new Uint8Array(0)))).toBe('6a7e64b2aa34c92736143a062fa149aff1bd8bb3f7ee6f346885481f9414a3d3');
    const input = range(0, 100);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('WebAuthn PRF', 'utf8'), Buffer.of(0), input]))
      .digest();
    expect(toHex(prfSalt(input))).toBe(expected.toString('hex'));
  });

  it('maps eval.first to salt1 and eval.second to salt2', () => {
    const first = new TextEncoder().encode('abc');
    expect(prfSalts({ first })).toEqual({ salt1: prfSalt(first), salt2: undefined });
    const both = prfSalts({ first, second: new Uint8Array(0) });
    expect(toHex(both.salt2!)).toBe('6a7e64b2aa34c92736143a062fa149aff1bd8bb3f7ee6f346885481f9414a3d3');
  });
});

describe('hmac-secret input and Node Buffers', () => {
  it('leaves a salt given as a Buffer untouched (Buffer.slice is a view, so a sliced "copy" would be wiped)', async () => {
    const { PinUvAuthProtocolV2, KeyAgreementKey } = await import('../../../../src/ctap/ctap2/pinUvAuthProtocol.js');
    const { createHash } = await import('node:crypto');
    const protocol = new PinUvAuthProtocolV2();
    const peer = KeyAgreementKey.generate();
    const encapsulation = protocol.encapsulate(peer.publicKey);
    const salt1 = createHash('sha256').update('vault').digest();
    const before = Buffer.from(salt1).toString('hex');
    hmacSecretGetInput({ protocol, encapsulation, salt1 });
    hmacSecretGetInput({ protocol, encapsulation, salt1, salt2: createHash('sha256').update('two').digest() });
    expect(salt1.toString('hex')).toBe(before);
    encapsulation.dispose();
    peer.dispose();
  });
});
