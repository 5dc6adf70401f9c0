// Exact request bytes against the CTAP specification's own examples (CTAP 2.1 sections 6.1 and 6.2 "Example").
import { describe, expect, it } from 'vitest';
import { Ctap2, type GetAssertionRequest, type MakeCredentialRequest } from '../../../src/ctap/ctap2/Ctap2.js';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { ClientError, CtapError } from '../../../src/ctap/errors.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import type { AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';

const CDH = fromHex('687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25db9e602645f141');

// The spec's example requests, byte for byte (command byte + CBOR).
const SPEC_MAKE_CREDENTIAL =
  '01a5015820687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25db9e602645f14102a26269646b6578616d706c652e636f6d646e616d656441636d6503a462696458203082019330820138a0030201023082019330820138a0030201023082019330826469636f6e782b68747470733a2f2f706963732e6578616d706c652e636f6d2f30302f702f61426a6a6a707150622e706e67646e616d65766a6f686e70736d697468406578616d706c652e636f6d6b646973706c61794e616d656d4a6f686e20502e20536d6974680482a263616c672664747970656a7075626c69632d6b6579a263616c6739010064747970656a7075626c69632d6b657907a162726bf5';
const SPEC_GET_ASSERTION =
  '02a4016b6578616d706c652e636f6d025820687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25db9e602645f1410382a26269645840f22006de4f905af68a43942f024f2a5ece603d9c6d4b3df8be08ed01fc442646d034858ac75bed3fd580bf9808d94fcbee82b9b2ef6677af0adcc35852ea6b9e64747970656a7075626c69632d6b6579a26269645832030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030364747970656a7075626c69632d6b657905a1627576f5';

function fakeInfo(maxMsgSize = 1200): AuthenticatorInfo {
  return {
    versions: ['FIDO_2_1'],
    extensions: [],
    aaguid: new Uint8Array(16),
    options: new Map(),
    maxMsgSize,
    pinUvAuthProtocols: [2],
    transports: ['usb'],
    unknown: new Map(),
  };
}

describe('Ctap2 request encoding', () => {
  it('encodes the spec\u2019s makeCredential example byte for byte, whatever order the fields were given in', async () => {
    const device = new CaptureDevice([
      fromHex('00a301646e6f6e650258250000000000000000000000000000000000000000000000000000000000000000000000000003a0'),
    ]);
    const ctap2 = await Ctap2.create(device, { info: fakeInfo() });
    await ctap2.makeCredential({
      options: { rk: true },
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      user: {
        displayName: 'John P. Smith',
        name: 'johnpsmith@example.com',
        icon: 'https://pics.example.com/00/p/aBjjjpqPb.png',
        id: fromHex('3082019330820138a0030201023082019330820138a003020102308201933082'),
      },
      rp: { name: 'Acme', id: 'example.com' },
      clientDataHash: CDH,
    });
    expect(device.requests[0]!.cmd).toBe(0x10);
    expect(toHex(device.requests[0]!.payload)).toBe(SPEC_MAKE_CREDENTIAL);
  });

  it('encodes the spec\u2019s getAssertion example byte for byte', async () => {
    const answer = fromHex(
      '00a301a2626964410164747970656a7075626c69632d6b65790258250000000000000000000000000000000000000000000000000000000000000000000000000003410a',
    );
    const device = new CaptureDevice([answer]);
    const ctap2 = await Ctap2.create(device, { info: fakeInfo() });
    const assertion = await ctap2.getAssertion({
      rpId: 'example.com',
      clientDataHash: CDH,
      allowList: [
        {
          type: 'public-key',
          id: fromHex(
            'f22006de4f905af68a43942f024f2a5ece603d9c6d4b3df8be08ed01fc442646d034858ac75bed3fd580bf9808d94fcbee82b9b2ef6677af0adcc35852ea6b9e',
          ),
          transports: ['usb'],
        },
        { type: 'public-key', id: new Uint8Array(50).fill(3) },
      ],
      options: { uv: true },
    });
    expect(toHex(device.requests[0]!.payload)).toBe(SPEC_GET_ASSERTION);
    expect(assertion.signature).toEqual(Uint8Array.of(0x0a));
  });

  it('fills in the credential from a one-entry allowList when the key leaves it out', async () => {
    const device = new CaptureDevice([fromHex('00a2025825' + '00'.repeat(37) + '03410a')]);
    const ctap2 = await Ctap2.create(device, { info: fakeInfo() });
    const assertion = await ctap2.getAssertion({
      rpId: 'example.com',
      clientDataHash: CDH,
      allowList: [{ type: 'public-key', id: Uint8Array.of(9) }],
    });
    expect(assertion.credential.id).toEqual(Uint8Array.of(9));
  });

  it('refuses a request larger than the key\u2019s maxMsgSize before sending it', async () => {
    const device = new CaptureDevice();
    const ctap2 = await Ctap2.create(device, { info: fakeInfo(100) });
    const error = await ctap2
      .getAssertion({
        rpId: 'example.com',
        clientDataHash: CDH,
        allowList: [{ type: 'public-key', id: new Uint8Array(80) }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).reason).toBe('request-too-large');
    expect((error as Error).message).toMatch(/maxMsgSize of 100/);
    expect(device.requests).toHaveLength(0);
  });

  it('turns a non-zero status into a CtapError with the spec name, and keeps unknown codes as numbers', async () => {
    const ctap2 = await Ctap2.create(new CaptureDevice([Uint8Array.of(0x2e), Uint8Array.of(0xe5)]), {
      info: fakeInfo(),
    });
    await expect(ctap2.getAssertion({ rpId: 'x', clientDataHash: CDH })).rejects.toMatchObject({
      status: 0x2e,
      statusName: 'CTAP2_ERR_NO_CREDENTIALS',
    });
    const unknown = await ctap2.selection().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(CtapError);
    expect((unknown as CtapError).message).toBe('CTAP error 0xe5');
  });

  it('sends reset, selection and getNextAssertion as bare command bytes', async () => {
    const device = new CaptureDevice([
      Uint8Array.of(0),
      Uint8Array.of(0),
      fromHex('00a301a2626964410164747970656a7075626c69632d6b6579025825' + '00'.repeat(37) + '03410a'),
    ]);
    const ctap2 = await Ctap2.create(device, { info: fakeInfo() });
    await ctap2.reset();
    await ctap2.selection();
    await ctap2.getNextAssertion();
    expect(device.requests.map((r) => toHex(r.payload))).toEqual(['07', '0b', '08']);
  });

  it('sends pinUvAuthParam and pinUvAuthProtocol only from a token: raw ones in an untyped request never reach the key', async () => {
    const assertionAnswer = fromHex('00a2025825' + '00'.repeat(37) + '03410a');
    const attestationAnswer = fromHex('00a301646e6f6e65025825' + '00'.repeat(37) + '03a0');
    const device = new CaptureDevice([assertionAnswer, assertionAnswer, attestationAnswer, attestationAnswer]);
    const ctap2 = await Ctap2.create(device, { info: fakeInfo() });
    const raw = { pinUvAuthParam: new Uint8Array(16).fill(5), pinUvAuthProtocol: 2 };
    const assertion = {
      rpId: 'example.com',
      clientDataHash: CDH,
      allowList: [{ type: 'public-key', id: Uint8Array.of(9) }],
    };
    const credential = {
      clientDataHash: CDH,
      rp: { id: 'example.com' },
      user: { id: Uint8Array.of(1) },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    };
    await ctap2.getAssertion(assertion);
    await ctap2.getAssertion({ ...assertion, ...raw } as GetAssertionRequest);
    await ctap2.makeCredential(credential);
    await ctap2.makeCredential({ ...credential, ...raw } as MakeCredentialRequest);
    const [plainAssertion, rawAssertion, plainCredential, rawCredential] = device.requests.map((r) => toHex(r.payload));
    expect(rawAssertion).toBe(plainAssertion);
    expect(rawCredential).toBe(plainCredential);
  });

  it('reports a malformed answer as a ProtocolError that names the field', async () => {
    const ctap2 = await Ctap2.create(new CaptureDevice([fromHex('00a10165' + '6e6f6e6521')]), { info: fakeInfo() });
    await expect(
      ctap2.makeCredential({
        clientDataHash: CDH,
        rp: { id: 'x' },
        user: { id: Uint8Array.of(1) },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      }),
    ).rejects.toThrow(/makeCredential response field 0x02 is missing/);
  });
});
