import { describe, expect, it } from 'vitest';
import { ClientPin, type PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import type { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { Ctap2Cmd, GetAssertionParam } from '../../../src/ctap/ctap2/constants.js';
import {
  credBlobInput,
  credProtectInput,
  extensionMap,
  getCredBlobInput,
  hmacSecretCreateInput,
  hmacSecretGetInput,
  parseCredBlobOutput,
  parseCredBlobStored,
  parseCredProtectOutput,
  parseHmacSecretCreateOutput,
  parseHmacSecretOutput,
} from '../../../src/ctap/ctap2/extensions/index.js';
import { PinUvAuthProtocolV1, PinUvAuthProtocolV2 } from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import type { VirtualProfileName } from '../../../src/ctap/virtual/index.js';
import { PIN, credentialId, credentialParams, hash, openKey, setPin, statusOf } from './clients.js';
import { RP_ID, ctap2 as rawCtap2 } from './support.js';

const SALT_A = new Uint8Array(32).fill(0xa1);
const SALT_B = new Uint8Array(32).fill(0xb2);

interface HmacRequest {
  ctap2: Ctap2;
  clientPin: ClientPin;
  id: Uint8Array;
  salt1: Uint8Array;
  salt2?: Uint8Array;
  token?: PinUvAuthToken;
  up?: boolean;
}

/** getAssertion with hmac-secret, decrypted: the one or two 32-byte outputs, hex. */
async function hmacSecret(req: HmacRequest): Promise<string[]> {
  const shared = await req.clientPin.getSharedSecret();
  try {
    const clientDataHash = hash('hmac');
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
      ...(req.up === false && { options: { up: false } }),
    });
    const output = parseHmacSecretOutput(assertion.authData.extensions, {
      protocol: req.clientPin.protocol,
      encapsulation: shared,
      saltCount: req.salt2 ? 2 : 1,
    });
    if (!output) throw new Error('no hmac-secret output');
    const outputs = [output.output1, ...(output.output2 ? [output.output2] : [])].map((o) =>
      Buffer.from(o).toString('hex'),
    );
    output.dispose();
    return outputs;
  } finally {
    shared.dispose();
  }
}

describe.each(['yubikey5', 'yubikeyBio', 'ctap21pre', 'ctap20', 'titanK52', 'ctap22'] as VirtualProfileName[])(
  'hmac-secret on %s',
  (profile) => {
    it('gives the same 32 bytes for the same salt and credential, other bytes for another salt, credential or UV', async () => {
      const { ctap2 } = await openKey({ profile });
      // Made before the PIN, since CTAP 2.0 and 2.1-draft keys want a PIN for every credential once one is set.
      const made = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
      expect(parseHmacSecretCreateOutput(made.authData.extensions)).toBe(true);
      const other = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
      const id = credentialId(made);
      const clientPin = await setPin(ctap2);

      const [first] = await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A });
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A })).toEqual([first]);
      const [withB] = await hmacSecret({ ctap2, clientPin, id, salt1: SALT_B });
      expect(withB).not.toBe(first);
      expect(await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A, salt2: SALT_B })).toEqual([first, withB]);
      expect(await hmacSecret({ ctap2, clientPin, id: credentialId(other), salt1: SALT_A })).not.toEqual([first]);

      const modern = ctap2.info.options.get('pinUvAuthToken') === true;
      const token = await clientPin.getPinToken(PIN, modern ? { rpId: RP_ID } : {});
      const [verified] = await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A, token });
      expect(verified).not.toBe(first);
      const token2 = await clientPin.getPinToken(PIN, modern ? { rpId: RP_ID } : {});
      expect(await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A, token: token2 })).toEqual([verified]);
    });
  },
);

describe('hmac-secret details (yubikey5)', () => {
  it('works with either PIN/UV auth protocol, and survives a restart from the state JSON', async () => {
    const { key, ctap2 } = await openKey();
    const made = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
    const id = credentialId(made);
    const v2 = await hmacSecret({
      ctap2,
      clientPin: new ClientPin(ctap2, new PinUvAuthProtocolV2()),
      id,
      salt1: SALT_A,
    });
    const v1 = await hmacSecret({
      ctap2,
      clientPin: new ClientPin(ctap2, new PinUvAuthProtocolV1()),
      id,
      salt1: SALT_A,
    });
    expect(v1).toEqual(v2);
    const restarted = await openKey({ state: key.toJSON() });
    expect(
      await hmacSecret({ ctap2: restarted.ctap2, clientPin: new ClientPin(restarted.ctap2), id, salt1: SALT_A }),
    ).toEqual(v2);
  });

  it('gives nothing for a credential made without hmac-secret, nor to a silent (up:false) assertion', async () => {
    const { ctap2 } = await openKey();
    const plain = await ctap2.makeCredential(credentialParams());
    const clientPin = new ClientPin(ctap2);
    await expect(hmacSecret({ ctap2, clientPin, id: credentialId(plain), salt1: SALT_A })).rejects.toThrow(
      'no hmac-secret output',
    );
    const made = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
    await expect(hmacSecret({ ctap2, clientPin, id: credentialId(made), salt1: SALT_A, up: false })).rejects.toThrow(
      'no hmac-secret output',
    );
  });

  it('answers PIN_AUTH_INVALID when saltAuth does not verify', async () => {
    const { key, ctap2 } = await openKey();
    const made = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
    const clientPin = new ClientPin(ctap2);
    const shared = await clientPin.getSharedSecret();
    const saltEnc = clientPin.protocol.encrypt(shared.sharedSecret, SALT_A);
    const answer = await rawCtap2(
      key,
      Ctap2Cmd.GET_ASSERTION,
      new Map<number, unknown>([
        [GetAssertionParam.rpId, RP_ID],
        [GetAssertionParam.clientDataHash, hash('bad salt auth')],
        [GetAssertionParam.allowList, [{ type: 'public-key', id: credentialId(made) }]],
        [
          GetAssertionParam.extensions,
          {
            'hmac-secret': new Map<number, unknown>([
              [1, shared.keyAgreement],
              [2, saltEnc],
              [3, new Uint8Array(32)],
              [4, 2],
            ]),
          },
        ],
      ]) as never,
    );
    shared.dispose();
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('computes each salt on its own: two salts give the two single-salt outputs', async () => {
    const { ctap2 } = await openKey();
    const made = await ctap2.makeCredential(credentialParams({ extensions: extensionMap(hmacSecretCreateInput()) }));
    const clientPin = new ClientPin(ctap2);
    const id = credentialId(made);
    const [a] = await hmacSecret({ ctap2, clientPin, id, salt1: SALT_A });
    const [b] = await hmacSecret({ ctap2, clientPin, id, salt1: SALT_B });
    expect(await hmacSecret({ ctap2, clientPin, id, salt1: SALT_B, salt2: SALT_A })).toEqual([b, a]);
  });
});

describe('credProtect', () => {
  async function protectedCredential(level: 1 | 2 | 3, rk: boolean) {
    const open = await openKey();
    const clientPin = await setPin(open.ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const made = await open.ctap2.makeCredential(
      credentialParams({
        rk,
        token,
        extensions: extensionMap(credProtectInput({ info: open.ctap2.info, policy: level })),
      }),
    );
    expect(parseCredProtectOutput(made.authData.extensions)).toBe(level);
    return { ...open, clientPin, id: credentialId(made) };
  }
  const assert = (ctap2: Ctap2, allowList: Uint8Array[] | undefined, token?: PinUvAuthToken) => {
    const clientDataHash = hash('protected');
    return ctap2.getAssertion({
      rpId: RP_ID,
      clientDataHash,
      ...(allowList && { allowList: allowList.map((id) => ({ type: 'public-key', id })) }),
      ...(token && { pinUvAuthToken: token }),
    });
  };

  it('level 3 hides a credential from getAssertion without user verification, even with an allowList', async () => {
    for (const rk of [true, false]) {
      const { ctap2, clientPin, id } = await protectedCredential(3, rk);
      expect(await statusOf(assert(ctap2, [id]))).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      if (rk) expect(await statusOf(assert(ctap2, undefined))).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
      expect((await assert(ctap2, [id], token)).authData.flags.uv).toBe(true);
    }
  });

  it('level 2 hides a discoverable credential only from requests without an allowList', async () => {
    const { ctap2, clientPin, id } = await protectedCredential(2, true);
    expect(await statusOf(assert(ctap2, undefined))).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    expect(await statusOf(assert(ctap2, [id]))).toBe(0);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect(await statusOf(assert(ctap2, undefined, token))).toBe(0);
  });

  it('level 3 lets an excludeList match pass unnoticed without user verification', async () => {
    const { ctap2, clientPin, id } = await protectedCredential(3, false);
    const excluding = { ...credentialParams(), excludeList: [{ type: 'public-key', id }] };
    expect(await statusOf(ctap2.makeCredential(excluding))).toBe(0);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const verified = { ...credentialParams({ token }), excludeList: [{ type: 'public-key', id }] };
    expect(await statusOf(ctap2.makeCredential(verified))).toBe(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
  });
});

describe('credBlob', () => {
  it('stores up to maxCredBlobLength bytes and returns them on getAssertion credBlob:true', async () => {
    for (const rk of [true, false]) {
      const { ctap2 } = await openKey();
      const blob = new Uint8Array(32).fill(rk ? 1 : 2);
      const made = await ctap2.makeCredential(
        credentialParams({ rk, extensions: extensionMap(credBlobInput({ info: ctap2.info, blob })) }),
      );
      expect(parseCredBlobStored(made.authData.extensions)).toBe(true);
      const assertion = await ctap2.getAssertion({
        rpId: RP_ID,
        clientDataHash: hash('blob'),
        allowList: [{ type: 'public-key', id: credentialId(made) }],
        extensions: extensionMap(getCredBlobInput()),
      });
      expect(parseCredBlobOutput(assertion.authData.extensions)).toEqual(blob);
    }
  });

  it('stores nothing too long and says so (credBlob: false); the output is then empty', async () => {
    const { key } = await openKey();
    const answer = await rawCtap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      new Map<number, unknown>([
        [1, hash('too long')],
        [2, { id: RP_ID }],
        [3, { id: Uint8Array.of(1), name: 'a' }],
        [4, [{ type: 'public-key', alg: -7 }]],
        [6, { credBlob: new Uint8Array(33) }],
      ]) as never,
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_OK);
    const authData = answer.body!.get(2) as Uint8Array;
    // The extensions map ends authData: {"credBlob": false}.
    expect(Buffer.from(authData.subarray(-11)).toString('hex')).toBe('a16863726564426c6f62f4');
  });
});
