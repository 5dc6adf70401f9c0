import { describe, expect, it } from 'vitest';
import { coseToPublicKey } from '../../../src/ctap/cose/coseKey.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2Cmd } from '../../../src/ctap/ctap2/constants.js';
import { CredentialManagement } from '../../../src/ctap/ctap2/CredentialManagement.js';
import { credProtectInput, extensionMap, largeBlobKeyInput } from '../../../src/ctap/ctap2/extensions/index.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import type { VirtualProfileName } from '../../../src/ctap/virtual/index.js';
import { PIN, credentialId, credentialParams, hash, openKey, setPin, statusOf, type OpenKey } from './clients.js';
import { RP_ID, ctap2 as rawCtap2 } from './support.js';

const CM_PROFILES: VirtualProfileName[] = ['yubikey5', 'yubikeyBio', 'ctap21pre', 'titanK52', 'ctap22'];

/** A key with a PIN and discoverable credentials: two for RP_ID, one for example.org. */
async function populated(profile: VirtualProfileName): Promise<OpenKey & { clientPin: ClientPin }> {
  const open = await openKey({ profile });
  const clientPin = await setPin(open.ctap2);
  const modern = open.ctap2.info.options.get('pinUvAuthToken') === true;
  for (const [rpId, userName] of [
    [RP_ID, 'alice@example.com'],
    ['example.org', 'carol@example.org'],
    [RP_ID, 'bob@example.com'],
  ] as const) {
    const token = await clientPin.getPinToken(PIN, modern ? { rpId } : {});
    await open.ctap2.makeCredential(credentialParams({ rk: true, rpId, userName, token }));
  }
  return { ...open, clientPin };
}

async function manager(open: OpenKey & { clientPin: ClientPin }, rpId?: string): Promise<CredentialManagement> {
  const modern = open.ctap2.info.options.get('pinUvAuthToken') === true;
  const token = await open.clientPin.getPinToken(
    PIN,
    modern ? { permissions: ClientPin.PERMISSION.cm, ...(rpId && { rpId }) } : {},
  );
  return new CredentialManagement(open.ctap2, token);
}

describe.each(CM_PROFILES)('credential management on %s', (profile) => {
  it('uses 0x0a on CTAP 2.1 keys and the 0x41 preview on FIDO_2_1_PRE ones', async () => {
    const open = await populated(profile);
    const cm = await manager(open);
    expect(cm.command).toBe(
      profile === 'ctap21pre' ? Ctap2Cmd.CREDENTIAL_MANAGEMENT_PRE : Ctap2Cmd.CREDENTIAL_MANAGEMENT,
    );
  });

  it('reports metadata, and lists RPs and each RP\u2019s credentials (newest first) with their public keys', async () => {
    const open = await populated(profile);
    const cm = await manager(open);
    const max = open.key.profile.maxDiscoverableCredentials;
    expect(await cm.getMetadata()).toEqual({
      existingResidentCredentialsCount: 3,
      maxPossibleRemainingResidentCredentialsCount: max - 3,
    });
    const rps = await cm.enumerateRps();
    expect(rps.map((r) => r.rp.id)).toEqual([RP_ID, 'example.org']);
    expect(rps[0]!.rpIdHash).toEqual(hash(RP_ID));
    const credentials = await cm.enumerateCredentials(hash(RP_ID));
    expect(credentials.map((c) => c.user.name)).toEqual(['bob@example.com', 'alice@example.com']);
    expect(credentials[0]!.credProtect).toBe(1);
    expect(coseToPublicKey(credentials[0]!.publicKey).asymmetricKeyType).toBe('ec');
  });

  it('deletes a credential, which then no longer signs', async () => {
    const open = await populated(profile);
    const cm = await manager(open);
    const [bob] = await cm.enumerateCredentials(hash(RP_ID));
    await cm.deleteCredential(bob!.credentialId);
    const left = await cm.enumerateCredentials(hash(RP_ID));
    expect(left.map((c) => c.user.name)).toEqual(['alice@example.com']);
    const gone = open.ctap2.getAssertion({
      rpId: RP_ID,
      clientDataHash: hash('x'),
      allowList: [bob!.credentialId],
      options: { up: false },
    });
    expect(await statusOf(gone)).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    expect(await statusOf(cm.deleteCredential(bob!.credentialId))).toBe(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  });

  it('refuses a token without the cm permission', async () => {
    const open = await populated(profile);
    if (open.ctap2.info.options.get('pinUvAuthToken') !== true) return;
    const token = await open.clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.ga });
    const cm = new CredentialManagement(open.ctap2, token);
    expect(await statusOf(cm.getMetadata())).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
  });

  it('answers NO_CREDENTIALS (read by the client as an empty list) on an empty key', async () => {
    const open = await openKey({ profile });
    const clientPin = await setPin(open.ctap2);
    const cm = await manager({ ...open, clientPin });
    expect(await cm.enumerateRps()).toEqual([]);
    expect(await cm.enumerateCredentials(hash(RP_ID))).toEqual([]);
  });
});

describe.each(['yubikey5', 'yubikeyBio', 'titanK52'] as const)(
  'CTAP 2.1 credential management rules on %s',
  (profile) => {
    it('renames a user with updateUserInformation; the user handle must match', async () => {
      const open = await populated(profile);
      const cm = await manager(open);
      const [bob] = await cm.enumerateCredentials(hash(RP_ID));
      await cm.updateUserInformation(bob!.credentialId, {
        id: bob!.user.id,
        name: 'robert@example.com',
        displayName: 'Robert',
      });
      const [renamed] = await cm.enumerateCredentials(hash(RP_ID));
      expect(renamed!.user).toEqual({ id: bob!.user.id, name: 'robert@example.com', displayName: 'Robert' });
      expect(await statusOf(cm.updateUserInformation(bob!.credentialId, { id: Uint8Array.of(9), name: 'x' }))).toBe(
        CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
      );
    });

    it('lets a token bound to an RP touch only that RP\u2019s credentials, and nothing key-wide', async () => {
      const open = await populated(profile);
      const cm = await manager(open, 'example.org');
      expect(await statusOf(cm.getMetadata())).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      expect(await statusOf(cm.enumerateRps())).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      expect(await statusOf(cm.enumerateCredentials(hash(RP_ID)))).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      expect((await cm.enumerateCredentials(hash('example.org'))).map((c) => c.user.name)).toEqual([
        'carol@example.org',
      ]);
    });

    it('ends an enumeration at any other command: getNext then answers NOT_ALLOWED', async () => {
      const open = await populated(profile);
      const token = await open.clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.cm });
      const message = Uint8Array.of(CredentialManagement.CMD.enumerateRPsBegin);
      const begin = await rawCtap2(
        open.key,
        Ctap2Cmd.CREDENTIAL_MANAGEMENT,
        new Map<number, number | Uint8Array>([
          [CredentialManagement.PARAM.subCommand, CredentialManagement.CMD.enumerateRPsBegin],
          [CredentialManagement.PARAM.pinUvAuthProtocol, token.protocol.version],
          [CredentialManagement.PARAM.pinUvAuthParam, token.authenticate(message)],
        ]),
      );
      expect(begin.body!.get(CredentialManagement.RESULT.totalRPs)).toBe(2);
      await rawCtap2(open.key, Ctap2Cmd.GET_INFO);
      const next = await rawCtap2(
        open.key,
        Ctap2Cmd.CREDENTIAL_MANAGEMENT,
        new Map([[CredentialManagement.PARAM.subCommand, CredentialManagement.CMD.enumerateRPsGetNextRP]]),
      );
      expect(next.status).toBe(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    });
  },
);

describe('credential management and extensions (yubikey5)', () => {
  it('reports each credential\u2019s credProtect level and largeBlobKey', async () => {
    const open = await openKey();
    const clientPin = await setPin(open.ctap2);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    const extensions = extensionMap(
      credProtectInput({ info: open.ctap2.info, policy: 'userVerificationRequired' }),
      largeBlobKeyInput(),
    );
    const att = await open.ctap2.makeCredential(credentialParams({ rk: true, token, extensions }));
    const cm = await manager({ ...open, clientPin });
    const [stored] = await cm.enumerateCredentials(hash(RP_ID));
    expect(stored!.credentialId.id).toEqual(credentialId(att));
    expect(stored!.credProtect).toBe(3);
    expect(stored!.largeBlobKey).toEqual(att.largeBlobKey);
  });
});
