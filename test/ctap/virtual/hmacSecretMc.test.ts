// hmac-secret-mc (CTAP 2.2 section 12.8) on the virtual key: salts evaluated at makeCredential, equal to what getAssertion's hmac-secret gives later.

import { describe, expect, it } from 'vitest';
import { ClientPin, type PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import type { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { Ctap2Cmd, MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import {
  extensionMap,
  hmacSecretCreateInput,
  hmacSecretGetInput,
  hmacSecretMcInput,
  isHmacSecretMcSupported,
  parseHmacSecretCreateOutput,
  parseHmacSecretMcOutput,
  parseHmacSecretOutput,
} from '../../../src/ctap/ctap2/extensions/index.js';
import { PinUvAuthProtocolV1 } from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { VIRTUAL_PROFILES, type VirtualAuthenticator } from '../../../src/ctap/virtual/index.js';
import { PIN, credentialId, credentialParams, hash, openKey, setPin, statusOf } from './clients.js';
import { RP_ID, getAssertionParams, makeCredentialParams, ctap2 as rawCtap2 } from './support.js';

const SALT_A = new Uint8Array(32).fill(0xa1);
const SALT_B = new Uint8Array(32).fill(0xb2);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

interface McRequest {
  ctap2: Ctap2;
  clientPin: ClientPin;
  salt1: Uint8Array;
  salt2?: Uint8Array;
  token?: PinUvAuthToken;
  rk?: boolean;
  /** @default true */
  hmacSecret?: boolean;
}

/** makeCredential with hmac-secret-mc: the credential ID and the decrypted outputs (hex), or none when the key sent none. */
async function makeWithMc(
  req: McRequest,
): Promise<{ id: Uint8Array; outputs: string[] | undefined; hmacSecret: boolean | undefined }> {
  const shared = await req.clientPin.getSharedSecret();
  try {
    const mc = hmacSecretMcInput({
      protocol: req.clientPin.protocol,
      encapsulation: shared,
      salt1: req.salt1,
      salt2: req.salt2,
    });
    const extensions = extensionMap(req.hmacSecret === false ? undefined : hmacSecretCreateInput(), mc);
    const made = await req.ctap2.makeCredential(
      credentialParams({ extensions, ...(req.rk && { rk: true }), ...(req.token && { token: req.token }) }),
    );
    const output = parseHmacSecretMcOutput(made.authData.extensions, {
      protocol: req.clientPin.protocol,
      encapsulation: shared,
      saltCount: req.salt2 ? 2 : 1,
    });
    const outputs = output && [output.output1, ...(output.output2 ? [output.output2] : [])].map(hex);
    output?.dispose();
    return { id: credentialId(made), outputs, hmacSecret: parseHmacSecretCreateOutput(made.authData.extensions) };
  } finally {
    shared.dispose();
  }
}

/** getAssertion with hmac-secret for one credential: the decrypted outputs, hex. */
async function assertWithHmac(req: {
  ctap2: Ctap2;
  clientPin: ClientPin;
  id: Uint8Array;
  salt1: Uint8Array;
  salt2?: Uint8Array;
  token?: PinUvAuthToken;
}): Promise<string[]> {
  const shared = await req.clientPin.getSharedSecret();
  try {
    const clientDataHash = hash('hmac-secret-mc login');
    const assertion = await req.ctap2.getAssertion({
      rpId: RP_ID,
      clientDataHash,
      allowList: [{ type: 'public-key', id: req.id }],
      extensions: extensionMap(
        hmacSecretGetInput({
          protocol: req.clientPin.protocol,
          encapsulation: shared,
          salt1: req.salt1,
          salt2: req.salt2,
        }),
      ),
      ...(req.token && { pinUvAuthToken: req.token }),
    });
    const output = parseHmacSecretOutput(assertion.authData.extensions, {
      protocol: req.clientPin.protocol,
      encapsulation: shared,
      saltCount: req.salt2 ? 2 : 1,
    });
    if (!output) throw new Error('no hmac-secret output');
    const outputs = [output.output1, ...(output.output2 ? [output.output2] : [])].map(hex);
    output.dispose();
    return outputs;
  } finally {
    shared.dispose();
  }
}

/** A makeCredential whose hmac-secret-mc map is built by hand, to send what a correct client never would. */
async function rawMcRequest(
  key: VirtualAuthenticator,
  ctap2: Ctap2,
  build: (clientPin: ClientPin, sharedSecret: Uint8Array) => Map<number, unknown>,
  rk = false,
) {
  const clientPin = new ClientPin(ctap2);
  const shared = await clientPin.getSharedSecret();
  try {
    const mc = build(clientPin, shared.sharedSecret);
    mc.set(1, shared.keyAgreement);
    const params = makeCredentialParams({
      rk,
      extra: [[MakeCredentialParam.extensions, { 'hmac-secret': true, 'hmac-secret-mc': mc as never }]],
    });
    return await rawCtap2(key, Ctap2Cmd.MAKE_CREDENTIAL, params);
  } finally {
    shared.dispose();
  }
}

describe('hmac-secret-mc on ctap22', () => {
  it('advertises FIDO_2_2 and hmac-secret-mc next to hmac-secret, with its own AAGUID', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    expect(ctap2.info.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1', 'FIDO_2_2']);
    expect(ctap2.info.extensions).toEqual([
      'credProtect',
      'hmac-secret',
      'largeBlobKey',
      'credBlob',
      'minPinLength',
      'hmac-secret-mc',
    ]);
    expect(isHmacSecretMcSupported(ctap2.info)).toBe(true);
    const aaguids = Object.values(VIRTUAL_PROFILES).map((p) => p.aaguid);
    expect(aaguids.filter((a) => a === VIRTUAL_PROFILES.ctap22.aaguid)).toHaveLength(1);
  });

  it('returns 32 bytes for one salt and 64 for two, next to hmac-secret: true', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    const clientPin = new ClientPin(ctap2);
    const one = await makeWithMc({ ctap2, clientPin, salt1: SALT_A });
    expect(one.hmacSecret).toBe(true);
    expect(one.outputs).toHaveLength(1);
    expect(one.outputs![0]).toMatch(/^[0-9a-f]{64}$/);
    const two = await makeWithMc({ ctap2, clientPin, salt1: SALT_A, salt2: SALT_B });
    expect(two.outputs).toHaveLength(2);
    expect(two.outputs!.every((o) => /^[0-9a-f]{64}$/.test(o))).toBe(true);
    expect(two.outputs![0]).not.toBe(two.outputs![1]);
  });

  it('gives what a later getAssertion with hmac-secret gives for the same salts without user verification', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    const clientPin = new ClientPin(ctap2);
    for (const rk of [false, true]) {
      const made = await makeWithMc({ ctap2, clientPin, salt1: SALT_A, salt2: SALT_B, rk });
      expect(await assertWithHmac({ ctap2, clientPin, id: made.id, salt1: SALT_A, salt2: SALT_B })).toEqual(
        made.outputs,
      );
      expect(await assertWithHmac({ ctap2, clientPin, id: made.id, salt1: SALT_B })).toEqual([made.outputs![1]]);
    }
  });

  it('with a PIN token uses CredRandomWithUV: equal to a later getAssertion with UV, different from one without', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const verified = await makeWithMc({ ctap2, clientPin, salt1: SALT_A, token });
    const assertToken = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect(await assertWithHmac({ ctap2, clientPin, id: verified.id, salt1: SALT_A, token: assertToken })).toEqual(
      verified.outputs,
    );
    const withoutUv = await assertWithHmac({ ctap2, clientPin, id: verified.id, salt1: SALT_A });
    expect(withoutUv).not.toEqual(verified.outputs);

    // makeCredUvNotRqd lets a non-discoverable credential be made without the PIN: its output is the one without UV.
    const unverified = await makeWithMc({ ctap2, clientPin, salt1: SALT_A });
    expect(await assertWithHmac({ ctap2, clientPin, id: unverified.id, salt1: SALT_A })).toEqual(unverified.outputs);
    const uvToken = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect(await assertWithHmac({ ctap2, clientPin, id: unverified.id, salt1: SALT_A, token: uvToken })).not.toEqual(
      unverified.outputs,
    );
  });

  it('takes PIN/UV auth protocol one, whose input leaves pinUvAuthProtocol out', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    const v1 = new ClientPin(ctap2, new PinUvAuthProtocolV1());
    const made = await makeWithMc({ ctap2, clientPin: v1, salt1: SALT_A });
    expect(made.outputs).toHaveLength(1);
    expect(await assertWithHmac({ ctap2, clientPin: new ClientPin(ctap2), id: made.id, salt1: SALT_A })).toEqual(
      made.outputs,
    );
  });

  it('answers PIN_AUTH_INVALID when saltAuth does not verify, and keeps the discoverable credential it would have replaced', async () => {
    const { key, ctap2 } = await openKey({ profile: 'ctap22' });
    const first = await rawCtap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams({ rk: true }));
    expect(first.status).toBe(CtapStatus.CTAP2_OK);
    const answer = await rawMcRequest(
      key,
      ctap2,
      (clientPin, secret) =>
        new Map<number, unknown>([
          [2, clientPin.protocol.encrypt(secret, SALT_A)],
          [3, new Uint8Array(32)],
          [4, clientPin.protocol.version],
        ]),
      true,
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    // makeCredentialParams uses the same user.id both times: the failed request must not have replaced the first one.
    const discovered = await rawCtap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      getAssertionParams({ clientDataHash: hash('discover') }),
    );
    expect(discovered.status).toBe(CtapStatus.CTAP2_OK);
    expect((discovered.body!.get(1) as Map<string, unknown>).get('id')).toEqual(
      (first.body!.get(2) as Uint8Array).subarray(55, 55 + 16),
    );
    expect(discovered.body!.has(5)).toBe(false);
  });

  it('answers CTAP1_ERR_INVALID_LENGTH for salts that are neither 32 nor 64 bytes', async () => {
    const { key, ctap2 } = await openKey({ profile: 'ctap22' });
    const answer = await rawMcRequest(key, ctap2, (clientPin, secret) => {
      const saltEnc = clientPin.protocol.encrypt(secret, new Uint8Array(48).fill(7));
      return new Map<number, unknown>([
        [2, saltEnc],
        [3, clientPin.protocol.authenticate(secret, saltEnc)],
        [4, clientPin.protocol.version],
      ]);
    });
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
  });

  it('answers CTAP1_ERR_INVALID_PARAMETER for a PIN/UV auth protocol the key does not speak', async () => {
    const { key, ctap2 } = await openKey({ profile: 'ctap22' });
    const answer = await rawMcRequest(key, ctap2, (clientPin, secret) => {
      const saltEnc = clientPin.protocol.encrypt(secret, SALT_A);
      return new Map<number, unknown>([
        [2, saltEnc],
        [3, clientPin.protocol.authenticate(secret, saltEnc)],
        [4, 3],
      ]);
    });
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  });

  it('ignores hmac-secret-mc sent without hmac-secret: true', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap22' });
    const made = await makeWithMc({ ctap2, clientPin: new ClientPin(ctap2), salt1: SALT_A, hmacSecret: false });
    expect(made.outputs).toBeUndefined();
    expect(made.hmacSecret).toBeUndefined();
  });
});

describe('hmac-secret-mc on a key without it (yubikey5)', () => {
  it('ignores the input: the credential gets hmac-secret, and no hmac-secret-mc output comes back', async () => {
    const { ctap2 } = await openKey({ profile: 'yubikey5' });
    expect(isHmacSecretMcSupported(ctap2.info)).toBe(false);
    const clientPin = new ClientPin(ctap2);
    const made = await makeWithMc({ ctap2, clientPin, salt1: SALT_A });
    expect(made.hmacSecret).toBe(true);
    expect(made.outputs).toBeUndefined();
    expect(await statusOf(assertWithHmac({ ctap2, clientPin, id: made.id, salt1: SALT_A }))).toBe(0);
  });
});
