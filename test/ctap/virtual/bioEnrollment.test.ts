import { describe, expect, it } from 'vitest';
import { AuthenticatorConfig } from '../../../src/ctap/ctap2/AuthenticatorConfig.js';
import { BioEnrollment } from '../../../src/ctap/ctap2/BioEnrollment.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2Cmd, GetInfoKey } from '../../../src/ctap/ctap2/constants.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import type {
  PresenceAnswer,
  PresenceHandler,
  PresenceRequest,
  VirtualAuthenticator,
} from '../../../src/ctap/virtual/index.js';
import { PIN, credentialId, credentialParams, hash, openKey, setPin, statusOf, type OpenKey } from './clients.js';
import { RP_ID, ctap2 as rawCtap2 } from './support.js';

const { FEEDBACK } = BioEnrollment;
const RIGHT_INDEX = { approve: true, finger: 'right-index' } as const;
const LEFT_THUMB = { approve: true, finger: 'left-thumb' } as const;

/** A user who answers each touch in turn from `answers`, then keeps giving the last one; records every request. */
function scripted(key: VirtualAuthenticator, answers: PresenceAnswer[]): PresenceRequest[] {
  const seen: PresenceRequest[] = [];
  let i = 0;
  const handler: PresenceHandler = (req) => {
    seen.push(req);
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    return Promise.resolve(answer);
  };
  key.presence = handler;
  return seen;
}

async function bioSession(open: OpenKey): Promise<{ clientPin: ClientPin; bio: BioEnrollment }> {
  const clientPin = await setPin(open.ctap2);
  const permissions = open.ctap2.info.options.get('pinUvAuthToken') ? ClientPin.PERMISSION.be : undefined;
  const token = await clientPin.getPinToken(PIN, permissions === undefined ? {} : { permissions });
  return { clientPin, bio: new BioEnrollment(open.ctap2, token) };
}

describe.each(['yubikeyBio', 'ctap21pre'] as const)('fingerprint enrollment on %s', (profile) => {
  it('uses the command its CTAP version has: 0x09, or the 0x40 preview', async () => {
    const open = await openKey({ profile });
    const { bio } = await bioSession(open);
    expect(bio.command).toBe(profile === 'yubikeyBio' ? Ctap2Cmd.BIO_ENROLLMENT : Ctap2Cmd.BIO_ENROLLMENT_PRE);
    expect(await bio.getModality()).toBe(BioEnrollment.MODALITY.fingerprint);
    expect(await bio.getFingerprintSensorInfo()).toMatchObject({
      fingerprintKind: BioEnrollment.FINGERPRINT_KIND.touch,
      maxCaptureSamplesRequiredForEnroll: 4,
    });
  });

  it('enrolls a finger in four good samples, reporting each one, and turns uv on', async () => {
    const open = await openKey({ profile });
    const { bio } = await bioSession(open);
    const requests = scripted(open.key, [{ approve: true }, false, RIGHT_INDEX, LEFT_THUMB, RIGHT_INDEX]);
    const samples: [number, number][] = [];
    const templateId = await bio.enroll({ onSample: (s) => samples.push([s.lastSampleStatus, s.remainingSamples]) });
    expect(samples).toEqual([
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_POOR_QUALITY, 4],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_NO_USER_ACTIVITY, 4],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD, 3],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_MERGE_FAILURE, 3],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD, 2],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD, 1],
      [FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD, 0],
    ]);
    expect(requests.every((r) => r.purpose === 'enroll')).toBe(true);
    expect(await bio.enumerateEnrollments()).toEqual([{ templateId }]);
    const info = await open.ctap2.getInfo();
    expect(info.options.get('uv')).toBe(true);
    expect(info.options.get(profile === 'yubikeyBio' ? 'bioEnroll' : 'userVerificationMgmtPreview')).toBe(true);
  });

  it('names, lists and removes enrollments, and says FP_EXISTS for a finger enrolled already', async () => {
    const open = await openKey({ profile });
    const { bio } = await bioSession(open);
    expect(await bio.enumerateEnrollments()).toEqual([]);
    scripted(open.key, [RIGHT_INDEX]);
    const first = await bio.enroll();
    await bio.setFriendlyName(first, 'Right index');
    const again = await bio.enrollBegin();
    expect(again.lastSampleStatus).toBe(FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_EXISTS);
    await bio.cancelEnrollment();
    scripted(open.key, [LEFT_THUMB]);
    const second = await bio.enroll();
    expect(await bio.enumerateEnrollments()).toEqual([
      { templateId: first, friendlyName: 'Right index' },
      { templateId: second },
    ]);
    await bio.removeEnrollment(first);
    expect(await bio.enumerateEnrollments()).toEqual([{ templateId: second }]);
    expect(await statusOf(bio.removeEnrollment(first))).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
  });

  it('verifies the user with an enrolled finger for uv:true, and refuses an unknown one with UV_INVALID', async () => {
    const open = await openKey({ profile });
    const { bio } = await bioSession(open);
    scripted(open.key, [RIGHT_INDEX]);
    await bio.enroll();
    const made = await open.ctap2.makeCredential({
      ...credentialParams({ rk: true }),
      options: { rk: true, uv: true },
    });
    expect(made.authData.flags.uv).toBe(true);
    const clientDataHash = hash('finger');
    const assertion = await open.ctap2.getAssertion({ rpId: RP_ID, clientDataHash, options: { uv: true } });
    expect(assertion.authData.flags.uv).toBe(true);
    expect(assertion.authData.flags.up).toBe(true);
    scripted(open.key, [LEFT_THUMB]);
    expect(await statusOf(open.ctap2.getAssertion({ rpId: RP_ID, clientDataHash, options: { uv: true } }))).toBe(
      CtapStatus.CTAP2_ERR_UV_INVALID,
    );
  });
});

describe('built-in user verification tokens (yubikeyBio)', () => {
  async function enrolledKey(): Promise<OpenKey & { clientPin: ClientPin }> {
    const open = await openKey({ profile: 'yubikeyBio' });
    const { clientPin, bio } = await bioSession(open);
    scripted(open.key, [RIGHT_INDEX]);
    await bio.enroll();
    await open.ctap2.getInfo();
    return { ...open, clientPin };
  }

  it('hands out a token for a matching finger; the touch counts as presence for the next makeCredential', async () => {
    const { key, ctap2, clientPin } = await enrolledKey();
    const requests = scripted(key, [RIGHT_INDEX]);
    const token = await clientPin.getUvToken({ permissions: ClientPin.PERMISSION.mc, rpId: RP_ID });
    expect(requests).toMatchObject([
      { command: 'getPinUvAuthTokenUsingUvWithPermissions', purpose: 'verify', rpId: RP_ID },
    ]);
    const att = await ctap2.makeCredential(credentialParams({ rk: true, token }));
    expect(att.authData.flags.uv).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('counts down the UV retries on unknown fingers and blocks at zero, until the PIN restores them', async () => {
    const { key, clientPin } = await enrolledKey();
    scripted(key, [LEFT_THUMB]);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: RP_ID })));
    expect(statuses.slice(0, 7).every((s) => s === CtapStatus.CTAP2_ERR_UV_INVALID)).toBe(true);
    expect(statuses[7]).toBe(CtapStatus.CTAP2_ERR_UV_BLOCKED);
    expect((await clientPin.getUvRetries()).retries).toBe(0);
    scripted(key, [RIGHT_INDEX]);
    expect(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: RP_ID }))).toBe(
      CtapStatus.CTAP2_ERR_UV_BLOCKED,
    );
    (await clientPin.getPinToken(PIN, { rpId: RP_ID })).dispose();
    expect((await clientPin.getUvRetries()).retries).toBe(8);
    expect(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.ga, rpId: RP_ID }))).toBe(0);
  });

  it('lets a finger token manage fingerprints (uvBioEnroll) but not configuration', async () => {
    const { key, clientPin } = await enrolledKey();
    scripted(key, [RIGHT_INDEX]);
    expect(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.be }))).toBe(0);
    expect(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.acfg }))).toBe(
      CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION,
    );
  });

  it('refuses UV tokens with NOT_ALLOWED while no finger is enrolled, and uv:true with INVALID_OPTION', async () => {
    const { ctap2, key } = await openKey({ profile: 'yubikeyBio' });
    const clientPin = await setPin(ctap2);
    expect(await statusOf(clientPin.getUvToken({ permissions: ClientPin.PERMISSION.ga }))).toBe(
      CtapStatus.CTAP2_ERR_NOT_ALLOWED,
    );
    const made = await ctap2.makeCredential(credentialParams());
    const answer = await statusOf(
      ctap2.getAssertion({
        rpId: RP_ID,
        clientDataHash: hash('x'),
        allowList: [{ type: 'public-key', id: credentialId(made) }],
        options: { uv: true },
      }),
    );
    expect(answer).toBe(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    const info = await rawCtap2(key, Ctap2Cmd.GET_INFO);
    expect(info.body!.get(GetInfoKey.uvModality)).toBe(2);
    expect(info.body!.get(GetInfoKey.preferredPlatformUvAttempts)).toBe(3);
  });

  it('with alwaysUv on, verifies with the finger when the platform sends neither a token nor uv', async () => {
    const { key, ctap2, clientPin } = await enrolledKey();
    const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.acfg });
    await new AuthenticatorConfig(ctap2, token).toggleAlwaysUv();
    const requests = scripted(key, [RIGHT_INDEX]);
    const made = await ctap2.makeCredential(credentialParams());
    expect(made.authData.flags.uv).toBe(true);
    expect(requests).toMatchObject([{ command: 'makeCredential', purpose: 'verify' }]);
    const assertion = await ctap2.getAssertion({
      rpId: RP_ID,
      clientDataHash: hash('always'),
      allowList: [{ type: 'public-key', id: credentialId(made) }],
    });
    expect(assertion.authData.flags.uv).toBe(true);
  });

  it('stops at the sensor capacity with FP_DATABASE_FULL', async () => {
    const open = await openKey({ profile: 'yubikeyBio' });
    const { bio } = await bioSession(open);
    for (let i = 0; i < 5; i++) {
      scripted(open.key, [{ approve: true, finger: `finger-${i}` }]);
      await bio.enroll();
    }
    expect(await statusOf(bio.enrollBegin())).toBe(CtapStatus.CTAP2_ERR_FP_DATABASE_FULL);
  });
});
