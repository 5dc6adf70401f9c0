// AuthenticatorConfig: exact request bytes and pinUvAuthParam (migration-guide vectors), option checks, a YubiKey replay, property tests.

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/ctap/cbor/decode.js';
import { fromHex, toHex } from '../../../src/ctap/bytes.js';
import { AuthenticatorConfig } from '../../../src/ctap/ctap2/AuthenticatorConfig.js';
import { ClientPin, PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { parseAuthenticatorInfo, type AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import {
  PinUvAuthProtocolV1,
  PinUvAuthProtocolV2,
  type PinUvAuthProtocol,
} from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { ClientError, toClientError } from '../../../src/ctap/errors.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { FUZZ_RUNS, expectOnlyTypedErrorsAsync } from '../../support/fuzz.js';
import { recordedBody, replayDevice } from '../../support/replayHid.js';
import { recordedReports } from '../../support/wiredata.js';

/** The pinUvAuthToken of the CTAP 2.1 migration guide's worked examples (WebauthnWorks/CTAP2.1-Migration-Guide). */
const TOKEN = '0125fecfd8bf3f679bd9ec221324baa74f3cade0314b4fba8029500a320612ad';
const FF32 = 'ff'.repeat(32);
const hmac = (message: string): string => createHmac('sha256', fromHex(TOKEN)).update(fromHex(message)).digest('hex');

/** The recorded YubiKey 5 getInfo (authnrCfg, ep false, alwaysUv false, setMinPINLength, maxRPIDsForSetMinPINLength 1), adjustable. */
function yubikeyInfo(changes: Partial<AuthenticatorInfo> = {}): AuthenticatorInfo {
  return { ...parseAuthenticatorInfo(decodeCbor(recordedBody('WIREDATA_CTAP_CBOR_INFO'))), ...changes };
}

async function captured(
  answers: string[] = ['00'],
  info = yubikeyInfo(),
  protocol: PinUvAuthProtocol | null = new PinUvAuthProtocolV2(),
) {
  const device = new CaptureDevice(answers.map(fromHex));
  const token =
    protocol === null
      ? undefined
      : new PinUvAuthToken(protocol, fromHex(TOKEN), ClientPin.PERMISSION.acfg, undefined, false);
  return { device, config: new AuthenticatorConfig(await Ctap2.create(device, { info }), token) };
}

const sent = (device: CaptureDevice, i = 0): string => toHex(device.requests[i]!.payload);

describe('AuthenticatorConfig request bytes (fixed token)', () => {
  it('signs enableEnterpriseAttestation over 32 x 0xff || 0x0d || 0x01, as in the migration guide', async () => {
    const { device, config } = await captured();
    await config.enableEnterpriseAttestation();
    expect(hmac(FF32 + '0d01')).toBe('4e724bc8af8776d0e92a3961c28bf9980b7b3962c610ba7abf07c74a0972b074');
    expect(sent(device)).toBe('0da3010103020458204e724bc8af8776d0e92a3961c28bf9980b7b3962c610ba7abf07c74a0972b074');
  });

  it('signs toggleAlwaysUv over 32 x 0xff || 0x0d || 0x02, as in the migration guide', async () => {
    const { device, config } = await captured();
    await config.toggleAlwaysUv();
    expect(sent(device)).toBe('0da30102030204582040d0d64f5030fa46d8e27c1bb358d5eb7b0da88fd4955b83ed19335bb35d886c');
  });

  it('signs setMinPINLength over the prefix, 0x0d 0x03 and the canonical subCommandParams', async () => {
    const { device, config } = await captured(['00'], yubikeyInfo({ maxRPIDsForSetMinPINLength: 2 }));
    await config.setMinPinLength({
      newMinPINLength: 6,
      minPinLengthRPIDs: ['example.com', 'enterprise.com'],
      forceChangePin: true,
    });
    const params = 'a3010602826b6578616d706c652e636f6d6e656e74657270726973652e636f6d03f5';
    expect(sent(device)).toBe(`0da4010302${params}0302045820${hmac(FF32 + '0d03' + params)}`);
  });

  it('leaves out parameters not given, and subCommandParams entirely when none is', async () => {
    const { device, config } = await captured(['00', '00']);
    await config.setMinPinLength({ forceChangePin: false });
    await config.setMinPinLength();
    expect(sent(device, 0)).toBe(`0da4010302a103f40302045820${hmac(FF32 + '0d03a103f4')}`);
    expect(sent(device, 1)).toBe(`0da301030302045820${hmac(FF32 + '0d03')}`);
  });

  it('sends a 16-byte pinUvAuthParam and protocol 1 with a protocol one token', async () => {
    const { device, config } = await captured(['00'], yubikeyInfo(), new PinUvAuthProtocolV1());
    await config.toggleAlwaysUv();
    expect(sent(device)).toBe(`0da3010203010450${hmac(FF32 + '0d02').slice(0, 32)}`);
  });

  it('sends no pinUvAuthParam without a token (a key with no PIN takes that)', async () => {
    const { device, config } = await captured(['00'], yubikeyInfo(), null);
    await config.toggleAlwaysUv();
    expect(sent(device)).toBe('0da10102');
  });
});

describe('AuthenticatorConfig support and checks', () => {
  it('is supported with authnrCfg true only', async () => {
    const info = (o: Record<string, boolean>) => ({ options: new Map(Object.entries(o)) });
    expect(AuthenticatorConfig.isSupported(info({ authnrCfg: true }))).toBe(true);
    expect(AuthenticatorConfig.isSupported(info({ authnrCfg: false }))).toBe(false);
    await expect(captured(['00'], yubikeyInfo({ options: new Map([['clientPin', true]]) }))).rejects.toThrow(
      ClientError,
    );
  });

  it('refuses a subcommand whose option the key does not list, before sending', async () => {
    const { device, config } = await captured(['00'], yubikeyInfo({ options: new Map([['authnrCfg', true]]) }));
    await expect(config.enableEnterpriseAttestation()).rejects.toMatchObject({
      reason: 'device-not-supported',
      message: expect.stringContaining('ep'),
    });
    await expect(config.toggleAlwaysUv()).rejects.toMatchObject({ reason: 'device-not-supported' });
    await expect(config.setMinPinLength({ newMinPINLength: 6 })).rejects.toMatchObject({
      reason: 'device-not-supported',
    });
    expect(device.requests).toHaveLength(0);
  });

  it.each([
    [{ newMinPINLength: 3 }, /from 4 to 63, got 3/],
    [{ newMinPINLength: 64 }, /got 64/],
    [{ newMinPINLength: 4.5 }, /got 4.5/],
    [{ minPinLengthRPIDs: ['a.example', 'b.example'] }, /at most 1 RP IDs/],
    [{ minPinLengthRPIDs: [''] }, /non-empty RP IDs/],
  ])('refuses setMinPinLength(%o) before sending', async (options, message) => {
    const { device, config } = await captured();
    await expect(config.setMinPinLength(options)).rejects.toThrow(message);
    expect(device.requests).toHaveLength(0);
  });

  it('passes the key\u2019s refusal through as a CtapError that maps to a reason', async () => {
    const { config } = await captured(['37']);
    const error = await config.setMinPinLength({ newMinPINLength: 4 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION });
    expect(toClientError(error).reason).toBe('pin-policy-violation');
  });
});

describe('AuthenticatorConfig replaying a YubiKey 5', () => {
  it('toggles always-UV on the recorded key, which answers the bare CTAP2_OK', async () => {
    const { device, conn } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      recordedReports('WIREDATA_CTAP_CBOR_STATUS'),
    );
    const ctap2 = await Ctap2.create(device);
    const token = new PinUvAuthToken(
      new PinUvAuthProtocolV2(),
      fromHex(TOKEN),
      ClientPin.PERMISSION.acfg,
      undefined,
      false,
    );
    await new AuthenticatorConfig(ctap2, token).toggleAlwaysUv();
    const request = conn.written[2]!;
    expect(toHex(request.subarray(4, 7 + 41))).toBe(
      '900029' + '0da30102030204582040d0d64f5030fa46d8e27c1bb358d5eb7b0da88fd4955b83ed19335bb35d886c',
    );
  });
});

describe('AuthenticatorConfig property tests', () => {
  it('every subcommand resolves or fails with a typed error on any answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), async (answer) => {
        const info = yubikeyInfo({ maxRPIDsForSetMinPINLength: 2 });
        await expectOnlyTypedErrorsAsync(async () => (await captured([toHex(answer)], info)).config.toggleAlwaysUv());
        await expectOnlyTypedErrorsAsync(async () =>
          (await captured([toHex(answer)], info)).config.setMinPinLength({
            newMinPINLength: 8,
            minPinLengthRPIDs: ['x'],
          }),
        );
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
