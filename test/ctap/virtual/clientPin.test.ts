import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type PinUvAuthProtocol,
} from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import type { VirtualProfileName } from '../../../src/ctap/virtual/index.js';
import {
  INITIAL_USAGE_TIME_LIMIT_MS,
  MAX_USAGE_TIME_PERIOD_MS,
} from '../../../src/ctap/virtual/ctap2/pinUvAuthState.js';
import { PIN, credentialId, credentialParams, hash, openKey, setPin, statusOf } from './clients.js';
import { RP_ID, ctap2 as rawCtap2 } from './support.js';

const PIN_PROFILES: VirtualProfileName[] = ['yubikey5', 'yubikeyBio', 'ctap21pre', 'ctap20', 'titanK52', 'ctap22'];
const CTAP21_PROFILES: VirtualProfileName[] = ['yubikey5', 'yubikeyBio', 'titanK52', 'ctap22'];

afterEach(() => {
  vi.useRealTimers();
});

describe.each(PIN_PROFILES)('ClientPin on %s', (profile) => {
  it('sets a PIN, reports 8 retries and hands out a token that verifies the user in makeCredential and getAssertion', async () => {
    const { ctap2 } = await openKey({ profile });
    expect(ctap2.info.options.get('clientPin')).toBe(false);
    const clientPin = await setPin(ctap2);
    expect(ctap2.info.options.get('clientPin')).toBe(true);
    expect((await clientPin.getPinRetries()).retries).toBe(8);

    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const att = await ctap2.makeCredential(credentialParams({ token }));
    expect(att.authData.flags.uv).toBe(true);
    const token2 = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const clientDataHash = hash('login');
    const assertion = await ctap2.getAssertion({
      rpId: RP_ID,
      clientDataHash,
      allowList: [{ type: 'public-key', id: credentialId(att) }],
      pinUvAuthToken: token2,
    });
    expect(assertion.authData.flags.uv).toBe(true);
    expect(assertion.authData.flags.up).toBe(true);
  });

  it('decrements the retries on a wrong PIN, blocks after three in a row until reboot(), and blocks for good at zero', async () => {
    const { key, ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      statuses.push(await statusOf(clientPin.getPinToken('9999')));
      if (attempt % 3 === 0) {
        // The third wrong PIN in a row: nothing more until a power cycle, not even the right PIN.
        expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
        const retries = await clientPin.getPinRetries();
        if (profile !== 'ctap20') expect(retries.powerCycleState).toBe(true);
        key.reboot();
      }
    }
    expect(statuses).toEqual([
      CtapStatus.CTAP2_ERR_PIN_INVALID,
      CtapStatus.CTAP2_ERR_PIN_INVALID,
      CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED,
      CtapStatus.CTAP2_ERR_PIN_INVALID,
      CtapStatus.CTAP2_ERR_PIN_INVALID,
      CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED,
      CtapStatus.CTAP2_ERR_PIN_INVALID,
      CtapStatus.CTAP2_ERR_PIN_BLOCKED,
    ]);
    expect((await clientPin.getPinRetries()).retries).toBe(0);
    expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    key.reboot();
    expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
  });

  it('restores the retries after the right PIN', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    await statusOf(clientPin.getPinToken('9999'));
    await statusOf(clientPin.getPinToken('9999'));
    expect((await clientPin.getPinRetries()).retries).toBe(6);
    (await clientPin.getPinToken(PIN)).dispose();
    expect((await clientPin.getPinRetries()).retries).toBe(8);
  });

  it('changes the PIN: the new one works, the old one no longer does', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    await clientPin.changePin(PIN, '567890');
    expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_INVALID);
    expect(await statusOf(clientPin.getPinToken('567890'))).toBe(0);
    expect(await statusOf(clientPin.changePin('0000', '1111'))).toBe(CtapStatus.CTAP2_ERR_PIN_INVALID);
  });

  it('answers a second setPIN as its CTAP version says: NOT_ALLOWED since 2.1, PIN_AUTH_INVALID in 2.0', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const expected = profile === 'ctap20' ? CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID : CtapStatus.CTAP2_ERR_NOT_ALLOWED;
    expect(await statusOf(clientPin.setPin('4321'))).toBe(expected);
  });

  it('answers PIN_NOT_SET for token requests before a PIN exists', async () => {
    const { ctap2 } = await openKey({ profile });
    expect(await statusOf(new ClientPin(ctap2).getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
  });

  it('regenerates its key agreement key after a wrong PIN, and at every power-up', async () => {
    const { key, ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const protocol = clientPin.protocol.version;
    const read = async (): Promise<string> => {
      const answer = await rawCtap2(
        key,
        Ctap2Cmd.CLIENT_PIN,
        new Map([
          [ClientPin.PARAM.pinUvAuthProtocol, protocol],
          [ClientPin.PARAM.subCommand, ClientPin.CMD.getKeyAgreement],
        ]),
      );
      const cose = answer.body!.get(ClientPin.RESULT.keyAgreement) as Map<number, Uint8Array>;
      return Buffer.from(cose.get(-2)!).toString('hex');
    };
    const first = await read();
    expect(await read()).toBe(first);
    await statusOf(clientPin.getPinToken('9999'));
    const second = await read();
    expect(second).not.toBe(first);
    key.reboot();
    expect(await read()).not.toBe(second);
  });
});

describe('PIN checks done by the key itself', () => {
  async function sendSetPin(
    profile: VirtualProfileName,
    pin: Uint8Array,
    protocol: PinUvAuthProtocol,
  ): Promise<number> {
    const { key } = await openKey({ profile });
    const agreement = await rawCtap2(
      key,
      Ctap2Cmd.CLIENT_PIN,
      new Map([
        [ClientPin.PARAM.pinUvAuthProtocol, protocol.version],
        [ClientPin.PARAM.subCommand, ClientPin.CMD.getKeyAgreement],
      ]),
    );
    const shared = protocol.encapsulate(agreement.body!.get(ClientPin.RESULT.keyAgreement));
    try {
      const padded = new Uint8Array(64);
      padded.set(pin.subarray(0, 64));
      const newPinEnc = protocol.encrypt(shared.sharedSecret, padded);
      const answer = await rawCtap2(
        key,
        Ctap2Cmd.CLIENT_PIN,
        new Map<number, unknown>([
          [ClientPin.PARAM.pinUvAuthProtocol, protocol.version],
          [ClientPin.PARAM.subCommand, ClientPin.CMD.setPIN],
          [ClientPin.PARAM.keyAgreement, shared.keyAgreement],
          [ClientPin.PARAM.pinUvAuthParam, protocol.authenticate(shared.sharedSecret, newPinEnc)],
          [ClientPin.PARAM.newPinEnc, newPinEnc],
        ]) as never,
      );
      return answer.status;
    } finally {
      shared.dispose();
    }
  }
  const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('counts the minimum length in code points since CTAP 2.1, and in bytes in CTAP 2.0', async () => {
    // Three code points in six bytes.
    expect(await sendSetPin('yubikey5', utf8('ééé'), new PinUvAuthProtocolV2())).toBe(
      CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
    );
    expect(await sendSetPin('yubikey5', utf8('éééé'), new PinUvAuthProtocolV2())).toBe(CtapStatus.CTAP2_OK);
    expect(await sendSetPin('ctap20', utf8('ééé'), new PinUvAuthProtocolV1())).toBe(CtapStatus.CTAP2_OK);
  });

  it('refuses a 64-byte PIN (no terminating zero) and one that is not UTF-8', async () => {
    expect(await sendSetPin('yubikey5', new Uint8Array(64).fill(0x31), new PinUvAuthProtocolV1())).toBe(
      CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
    );
    expect(await sendSetPin('yubikey5', new Uint8Array(63).fill(0x31), new PinUvAuthProtocolV1())).toBe(
      CtapStatus.CTAP2_OK,
    );
    expect(await sendSetPin('yubikey5', Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc), new PinUvAuthProtocolV2())).toBe(
      CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
    );
  });

  it('refuses a protocol the profile does not speak with INVALID_PARAMETER', async () => {
    const { key } = await openKey({ profile: 'ctap20' });
    const answer = await rawCtap2(
      key,
      Ctap2Cmd.CLIENT_PIN,
      new Map([
        [ClientPin.PARAM.pinUvAuthProtocol, 2],
        [ClientPin.PARAM.subCommand, ClientPin.CMD.getKeyAgreement],
      ]),
    );
    expect(answer.status).toBe(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  });

  it('answers INVALID_SUBCOMMAND for subcommands the profile lacks', async () => {
    for (const [profile, subCommand] of [
      ['yubikey5', ClientPin.CMD.getUVRetries],
      ['yubikey5', ClientPin.CMD.getPinUvAuthTokenUsingUvWithPermissions],
      ['ctap20', ClientPin.CMD.getPinUvAuthTokenUsingPinWithPermissions],
      ['yubikey5', 0x42],
    ] as const) {
      const { key } = await openKey({ profile });
      const answer = await rawCtap2(
        key,
        Ctap2Cmd.CLIENT_PIN,
        new Map([
          [ClientPin.PARAM.pinUvAuthProtocol, 1],
          [ClientPin.PARAM.subCommand, subCommand],
        ]),
      );
      expect(answer.status).toBe(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }
  });
});

describe.each(CTAP21_PROFILES)('pinUvAuthToken rules on %s', (profile) => {
  it('refuses a token without the permission the command needs (PIN_AUTH_INVALID, as section 6.1.2 says)', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.ga, rpId: RP_ID });
    expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
    );
  });

  it('refuses to hand out a permission the key cannot grant (UNAUTHORIZED_PERMISSION)', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    // No profile here lets a PIN token manage fingerprints but yubikeyBio; pcmr (0x40) is CTAP 2.2 and unknown to all.
    const permission = profile === 'yubikeyBio' ? 0x40 : ClientPin.PERMISSION.be;
    expect(await statusOf(clientPin.getPinToken(PIN, { permissions: permission }))).toBe(
      CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION,
    );
  });

  it('refuses a token bound to another RP ID', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: 'example.org' });
    expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
    );
  });

  it('binds a token obtained without an RP ID to the first RP it is used for', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.ga | ClientPin.PERMISSION.mc });
    const made = await ctap2.makeCredential(credentialParams({ rpId: 'example.org' }));
    const silent = (rpId: string) => {
      const clientDataHash = hash(rpId);
      return ctap2.getAssertion({
        rpId,
        clientDataHash,
        allowList: [{ type: 'public-key', id: credentialId(made) }],
        options: { up: false },
        pinUvAuthToken: token,
      });
    };
    expect(await statusOf(silent('example.org'))).toBe(0);
    expect(await statusOf(silent(RP_ID))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('spends a token on the first makeCredential that collects user presence', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(0);
    expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
    );
  });

  it('lets an unused token expire after the initial usage time limit, a used one after the max usage time period', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const made = await ctap2.makeCredential(credentialParams());
    const silentAssertion = (token: Awaited<ReturnType<ClientPin['getPinToken']>>) => {
      const clientDataHash = hash('silent');
      return ctap2.getAssertion({
        rpId: RP_ID,
        clientDataHash,
        allowList: [{ type: 'public-key', id: credentialId(made) }],
        options: { up: false },
        pinUvAuthToken: token,
      });
    };
    const unused = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    vi.setSystemTime(Date.now() + INITIAL_USAGE_TIME_LIMIT_MS + 1);
    expect(await statusOf(silentAssertion(unused))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);

    const used = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect(await statusOf(silentAssertion(used))).toBe(0);
    vi.setSystemTime(Date.now() + INITIAL_USAGE_TIME_LIMIT_MS + 1);
    expect(await statusOf(silentAssertion(used))).toBe(0);
    vi.setSystemTime(Date.now() + MAX_USAGE_TIME_PERIOD_MS);
    expect(await statusOf(silentAssertion(used))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('forgets every token at reboot()', async () => {
    const { key, ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    key.reboot();
    expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
    );
  });

  it('answers PUAT_REQUIRED to a discoverable makeCredential without a token once a PIN is set; makeCredUvNotRqd spares non-discoverable ones', async () => {
    const { ctap2 } = await openKey({ profile });
    await setPin(ctap2);
    expect(await statusOf(ctap2.makeCredential(credentialParams({ rk: true })))).toBe(
      CtapStatus.CTAP2_ERR_PUAT_REQUIRED,
    );
    const plain = await ctap2.makeCredential(credentialParams());
    expect(plain.authData.flags.uv).toBe(false);
  });

  it('gives a user entity its name and display name only with user verification and several accounts', async () => {
    const { ctap2 } = await openKey({ profile });
    const clientPin = await setPin(ctap2);
    for (const name of ['a@example.com', 'b@example.com']) {
      await ctap2.makeCredential(
        credentialParams({ rk: true, userName: name, token: await clientPin.getPinToken(PIN, { rpId: RP_ID }) }),
      );
    }
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const clientDataHash = hash('accounts');
    const first = await ctap2.getAssertion({ rpId: RP_ID, clientDataHash, pinUvAuthToken: token });
    expect(first.numberOfCredentials).toBe(2);
    expect(first.user?.name).toBe('b@example.com');
    expect(first.authData.flags.uv).toBe(true);
    const next = await ctap2.getNextAssertion();
    expect(next.user?.name).toBe('a@example.com');
    expect(next.authData.flags.uv).toBe(true);
  });
});

describe('tokens on keys before CTAP 2.1', () => {
  it.each(['ctap20', 'ctap21pre'] as const)(
    '%s keeps one pinToken per power-up that authorizes every use',
    async (profile) => {
      const { key, ctap2 } = await openKey({ profile });
      const clientPin = await setPin(ctap2);
      const token = await clientPin.getPinToken(PIN);
      expect(token.legacy).toBe(true);
      for (let i = 0; i < 2; i++) {
        const att = await ctap2.makeCredential(credentialParams({ token }));
        expect(att.authData.flags.uv).toBe(true);
      }
      key.reboot();
      expect(await statusOf(ctap2.makeCredential(credentialParams({ token })))).toBe(
        CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
      );
    },
  );

  it('ctap20 makes no credential without pinAuth once a PIN is set (CTAP2_ERR_PIN_REQUIRED, 0x36)', async () => {
    const { ctap2 } = await openKey({ profile: 'ctap20' });
    await setPin(ctap2);
    expect(await statusOf(ctap2.makeCredential(credentialParams()))).toBe(0x36);
  });
});

describe('the zero-length pinUvAuthParam probe', () => {
  it('answers PIN_INVALID after the touch once a PIN is set', async () => {
    const { key, ctap2 } = await openKey();
    await setPin(ctap2);
    const answer = await rawCtap2(
      key,
      Ctap2Cmd.MAKE_CREDENTIAL,
      new Map<number, unknown>([
        [1, hash('probe')],
        [2, { id: RP_ID }],
        [3, { id: Uint8Array.of(1), name: 'a' }],
        [4, [{ type: 'public-key', alg: -7 }]],
        [8, new Uint8Array(0)],
        [9, 2],
      ]) as never,
    );
    expect(answer.status).toBe(CtapStatus.CTAP2_ERR_PIN_INVALID);
  });
});
