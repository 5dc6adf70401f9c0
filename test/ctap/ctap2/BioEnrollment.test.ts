// BioEnrollment: YubiKey Bio replays (sensor info, enrollment with keepalives, enumeration), exact request bytes with a fixed token, property tests.

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/decode.js';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { BioEnrollment, type EnrollmentSample } from '../../../src/ctap/ctap2/BioEnrollment.js';
import { ClientPin, PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import { PinUvAuthProtocolV2 } from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { ClientError, TransportError } from '../../../src/ctap/errors.js';
import type { CtapDevice } from '../../../src/ctap/transport.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { FUZZ_RUNS, expectOnlyTypedErrorsAsync, mutationsOf } from '../../support/fuzz.js';
import {
  onRecordedChannel,
  recordedBody,
  recordedMessages,
  replayDevice,
  splitMessages,
} from '../../support/replayHid.js';
import { recordedReports } from '../../support/wiredata.js';

const TOKEN = '0125fecfd8bf3f679bd9ec221324baa74f3cade0314b4fba8029500a320612ad';
const hmac = (message: string): string => createHmac('sha256', fromHex(TOKEN)).update(fromHex(message)).digest('hex');

function token(): PinUvAuthToken {
  return new PinUvAuthToken(new PinUvAuthProtocolV2(), fromHex(TOKEN), ClientPin.PERMISSION.be, undefined, false);
}

/** The recorded YubiKey getInfo, made a YubiKey Bio: bioEnroll (nothing enrolled yet) and fingerprint UV. */
function bioInfo(
  options: Record<string, boolean> = { bioEnroll: false, uv: false, clientPin: true, pinUvAuthToken: true },
  versions?: string[],
): AuthenticatorInfo {
  const info = parseAuthenticatorInfo(decodeCbor(recordedBody('WIREDATA_CTAP_CBOR_INFO')));
  return { ...info, options: new Map(Object.entries(options)), versions: versions ?? info.versions };
}

async function bio(device: CtapDevice, info = bioInfo(), withToken = true): Promise<BioEnrollment> {
  const t = withToken ? token() : undefined;
  return new BioEnrollment(await Ctap2.create(device, { info }), t);
}

async function captured(answers: string[], info?: AuthenticatorInfo) {
  const device = new CaptureDevice(answers.map(fromHex));
  return { device, bio: await bio(device, info) };
}

/** The CBOR requests the host wrote after INIT, each re-assembled from its frames. */
function writtenRequests(written: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const frame of written.slice(1)) {
    if (frame[4]! & 0x80) out.push(toHex(frame.subarray(7, 7 + ((frame[5]! << 8) | frame[6]!))));
  }
  return out;
}

describe('BioEnrollment replaying a YubiKey Bio (libfido2 recordings)', () => {
  it('reads the sensor info: touch sensor, 4 samples, without a token', async () => {
    const { device, conn } = await replayDevice(onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_BIO_INFO')));
    const info = await (await bio(device, bioInfo(), false)).getFingerprintSensorInfo();
    expect(info).toEqual({
      fingerprintKind: BioEnrollment.FINGERPRINT_KIND.touch,
      maxCaptureSamplesRequiredForEnroll: 4,
    });
    expect(writtenRequests(conn.written)).toEqual(['09a201010207']);
  });

  it('lists the three recorded fingerprints finger1..finger3 with their template ids', async () => {
    const { device, conn } = await replayDevice(onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_BIO_ENUM')));
    const templates = await (await bio(device)).enumerateEnrollments();
    expect(templates.map((t) => [toHex(t.templateId), t.friendlyName])).toEqual([
      ['cea3', 'finger1'],
      ['bf5e', 'finger2'],
      ['5ed2', 'finger3'],
    ]);
    expect(writtenRequests(conn.written)).toEqual([`09a4010102040402055820${hmac('0104')}`]);
  });

  it('enrolls through the recorded begin and two captures, reporting UPNEEDED keepalives and each sample', async () => {
    const { device, conn } = await replayDevice(
      ...splitMessages(onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_BIO_ENROLL'))),
    );
    const samples: EnrollmentSample[] = [];
    const keepalives: number[] = [];
    const templateId = await (
      await bio(device)
    ).enroll({ onSample: (s) => samples.push(s), onKeepalive: (s) => keepalives.push(s) });
    expect(toHex(templateId)).toBe('6896');
    expect(samples).toEqual([
      { lastSampleStatus: BioEnrollment.FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD, remainingSamples: 2 },
      { lastSampleStatus: 0, remainingSamples: 1 },
      { lastSampleStatus: 0, remainingSamples: 0 },
    ]);
    // Each call reports the status once, however many keepalives repeat it.
    expect(keepalives).toEqual([2, 2, 2]);
    const capture = 'a10142' + '6896';
    expect(writtenRequests(conn.written)).toEqual([
      `09a4010102010402055820${hmac('0101')}`,
      `09a50101020203${capture}0402055820${hmac('0102' + capture)}`,
      `09a50101020203${capture}0402055820${hmac('0102' + capture)}`,
    ]);
  });

  it('takes the recorded last answer, cut to a 56-byte report, because all 6 of its payload bytes are in it', async () => {
    const groups = splitMessages(onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_BIO_ENROLL')));
    expect(groups[2]!.at(-1)!.length).toBe(56);
    const { device } = await replayDevice(...groups.slice(2));
    expect(await (await bio(device)).enrollCaptureNextSample(fromHex('6896'))).toEqual({
      lastSampleStatus: 0,
      remainingSamples: 0,
    });
  });

  it('fails with a TransportError, not a hang, when the cut falls inside the payload, and cancels the enrollment', async () => {
    const groups = splitMessages(onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_BIO_ENROLL')));
    const last = groups[2]!;
    const cut = [...last.slice(0, -1), last.at(-1)!.subarray(0, 10)];
    const { device, conn } = await replayDevice(
      groups[0]!,
      groups[1]!,
      cut,
      recordedReports('WIREDATA_CTAP_CBOR_STATUS'),
    );
    const started = Date.now();
    const error = await (await bio(device)).enroll({ timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('framing');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(writtenRequests(conn.written).at(-1)).toBe('09a201010203');
  });
});

describe('BioEnrollment request bytes (fixed token)', () => {
  it('asks getModality with {6: true} and no token', async () => {
    const { device, bio } = await captured(['00a10101']);
    expect(await bio.getModality()).toBe(BioEnrollment.MODALITY.fingerprint);
    expect(toHex(device.requests[0]!.payload)).toBe('09a106f5');
  });

  it('sends timeoutMilliseconds and signs fingerprint || enrollBegin || {3: 10000}', async () => {
    const { device, bio } = await captured(['00a30442689605050604']);
    const start = await bio.enrollBegin({ sampleTimeoutMs: 10_000 });
    expect(start).toEqual({
      templateId: fromHex('6896'),
      lastSampleStatus: BioEnrollment.FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_TOO_FAST,
      remainingSamples: 4,
    });
    expect(toHex(device.requests[0]!.payload)).toBe(`09a50101020103a1031927100402055820${hmac('0101a103192710')}`);
  });

  it('signs setFriendlyName over 0x01 0x05 {1: id, 2: name} and removeEnrollment over 0x01 0x06 {1: id}', async () => {
    const { device, bio } = await captured(['00', '00']);
    await bio.setFriendlyName(fromHex('cea3'), 'left thumb');
    await bio.removeEnrollment(fromHex('bf5e'));
    const rename = 'a20142cea3026a6c656674207468756d62';
    const remove = 'a10142bf5e';
    expect(toHex(device.requests[0]!.payload)).toBe(`09a50101020503${rename}0402055820${hmac('0105' + rename)}`);
    expect(toHex(device.requests[1]!.payload)).toBe(`09a50101020603${remove}0402055820${hmac('0106' + remove)}`);
  });

  it('sends cancelCurrentEnrollment unsigned', async () => {
    const { device, bio } = await captured(['00']);
    await bio.cancelEnrollment();
    expect(toHex(device.requests[0]!.payload)).toBe('09a201010203');
  });

  it('uses 0x40 on a FIDO_2_1_PRE key with userVerificationMgmtPreview', async () => {
    const info = bioInfo({ userVerificationMgmtPreview: true, clientPin: true }, ['FIDO_2_0', 'FIDO_2_1_PRE']);
    const { device, bio } = await captured(['00a202010304'], info);
    expect(bio.command).toBe(0x40);
    await bio.getFingerprintSensorInfo();
    expect(device.requests[0]!.payload[0]).toBe(0x40);
  });

  it('is supported with bioEnroll present (true or false) or the preview on a FIDO_2_1_PRE key, not otherwise', async () => {
    const info = (options: Record<string, boolean>, versions = ['FIDO_2_0', 'FIDO_2_1']) => ({
      options: new Map(Object.entries(options)),
      versions,
    });
    expect(BioEnrollment.isSupported(info({ bioEnroll: false }))).toBe(true);
    expect(BioEnrollment.isSupported(info({ bioEnroll: true }))).toBe(true);
    expect(BioEnrollment.isSupported(info({ userVerificationMgmtPreview: false }, ['FIDO_2_1_PRE']))).toBe(true);
    expect(BioEnrollment.isSupported(info({ userVerificationMgmtPreview: true }))).toBe(false);
    expect(BioEnrollment.isSupported(info({ uv: true }))).toBe(false);
    await expect(bio(new CaptureDevice(), bioInfo({ clientPin: true }))).rejects.toThrow(ClientError);
  });

  it('needs a token for the authenticated subcommands and says so before sending', async () => {
    const device = new CaptureDevice();
    const noToken = await bio(device, bioInfo(), false);
    await expect(noToken.enrollBegin()).rejects.toMatchObject({ reason: 'pin-required' });
    await expect(noToken.enumerateEnrollments()).rejects.toMatchObject({ reason: 'pin-required' });
    await expect(noToken.setFriendlyName(fromHex('01'), '')).rejects.toMatchObject({ reason: 'bad-request' });
    await expect(noToken.enrollCaptureNextSample(new Uint8Array(0))).rejects.toMatchObject({ reason: 'bad-request' });
    await expect(noToken.enrollBegin({ sampleTimeoutMs: -1 })).rejects.toMatchObject({ reason: 'bad-request' });
    expect(device.requests).toHaveLength(0);
  });

  it('names the sample status codes as the spec does', () => {
    expect(BioEnrollment.feedbackName(0x00)).toBe('CTAP2_ENROLL_FEEDBACK_FP_GOOD');
    expect(BioEnrollment.feedbackName(0x0b)).toBe('CTAP2_ENROLL_FEEDBACK_FP_EXISTS');
    expect(BioEnrollment.feedbackName(0x0e)).toBe('CTAP2_ENROLL_FEEDBACK_NO_USER_PRESENCE_TRANSITION');
    expect(BioEnrollment.feedbackName(0x0c)).toBe('unknown sample status 0x0c');
  });
});

describe('BioEnrollment enrollment and enumeration edge cases', () => {
  it('keeps capturing through bad samples until none remain', async () => {
    const { device, bio } = await captured(['00a304410105000602', '00a205050602', '00a205000601', '00a205000600']);
    const statuses: string[] = [];
    const templateId = await bio.enroll({
      onSample: (s) => statuses.push(BioEnrollment.feedbackName(s.lastSampleStatus)),
    });
    expect(toHex(templateId)).toBe('01');
    expect(statuses).toEqual([
      'CTAP2_ENROLL_FEEDBACK_FP_GOOD',
      'CTAP2_ENROLL_FEEDBACK_FP_TOO_FAST',
      'CTAP2_ENROLL_FEEDBACK_FP_GOOD',
      'CTAP2_ENROLL_FEEDBACK_FP_GOOD',
    ]);
    expect(device.requests).toHaveLength(4);
  });

  it('cancels the unfinished template when a capture fails, then rethrows', async () => {
    const { device, bio } = await captured(['00a304410105000602', '2f', '00']);
    await expect(bio.enroll()).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT });
    expect(toHex(device.requests[2]!.payload)).toBe('09a201010203');
  });

  it('does not cancel when enrollBegin itself fails', async () => {
    const { device, bio } = await captured(['33']);
    await expect(bio.enroll()).rejects.toMatchObject({ status: CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID });
    expect(device.requests).toHaveLength(1);
  });

  it.each([
    ['CTAP2_ERR_INVALID_OPTION', '2c'],
    ['an empty map', '00'],
    ['an empty templateInfos', '00a10780'],
  ])('lists no fingerprints when the key answers %s', async (_name, answer) => {
    expect(await (await captured([answer])).bio.enumerateEnrollments()).toEqual([]);
  });

  it('names malformed fields', async () => {
    await expect((await captured(['00a10781a201410102420102'])).bio.enumerateEnrollments()).rejects.toThrow(
      /templateInfos\) item 0 field 0x02 is a 2-byte string, expected a text string/,
    );
    await expect((await captured(['00a10781a1026161'])).bio.enumerateEnrollments()).rejects.toThrow(
      /templateInfos\) item 0 field 0x01 is missing/,
    );
    await expect((await captured(['00a10201'])).bio.getFingerprintSensorInfo()).rejects.toThrow(
      /field 0x03 is missing/,
    );
    await expect((await captured(['00a3044005000600'])).bio.enrollBegin()).rejects.toThrow(/templateId\) is empty/);
    await expect((await captured(['00a10702'])).bio.enumerateEnrollments()).rejects.toThrow(
      /field 0x07 is the integer 2, expected an array/,
    );
  });
});

describe('BioEnrollment property tests', () => {
  const samples = [
    'WIREDATA_CTAP_CBOR_BIO_INFO',
    'WIREDATA_CTAP_CBOR_BIO_ENROLL',
    'WIREDATA_CTAP_CBOR_BIO_ENUM',
  ].flatMap(recordedMessages);

  it('every subcommand fails only with typed errors on mutated recorded answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples).chain((s) => fc.array(mutationsOf(s), { minLength: 1, maxLength: 4 })),
        async (answers) => {
          const hexes = answers.map(toHex);
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.getFingerprintSensorInfo());
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.enumerateEnrollments());
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.getModality());
          await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.enroll());
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('every subcommand fails only with typed errors on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 4 }), async (answers) => {
        const hexes = answers.map(toHex);
        await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.enumerateEnrollments());
        await expectOnlyTypedErrorsAsync(async () => (await captured(hexes)).bio.enroll());
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
