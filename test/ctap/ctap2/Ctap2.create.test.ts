// Ctap2 is made only through Ctap2.create, which reads getInfo: a feature class never meets a Ctap2 without its info.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/ctap/bytes.js';
import { ClientPin, PinUvAuthToken } from '../../../src/ctap/ctap2/ClientPin.js';
import { CredentialManagement } from '../../../src/ctap/ctap2/CredentialManagement.js';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { PinUvAuthProtocolV2 } from '../../../src/ctap/ctap2/pinUvAuthProtocol.js';
import { CaptureDevice } from '../../support/captureDevice.js';
import { minimalInfo } from '../../support/minimalInfo.js';
import { recordedBody } from '../../support/replayHid.js';

describe('Ctap2.create', () => {
  it('reads getInfo once, so a feature built on it right away sees the key\u2019s options', async () => {
    const device = new CaptureDevice([
      new Uint8Array([0, ...recordedBody('WIREDATA_CTAP_CBOR_INFO')]),
      fromHex('00a201050217'),
    ]);
    const ctap2 = await Ctap2.create(device);
    expect(device.requests.map((r) => r.payload[0])).toEqual([0x04]);
    const token = new PinUvAuthToken(
      new PinUvAuthProtocolV2(),
      new Uint8Array(32),
      ClientPin.PERMISSION.cm,
      undefined,
      false,
    );
    const credman = new CredentialManagement(ctap2, token);
    expect(await credman.getMetadata()).toMatchObject({
      existingResidentCredentialsCount: 5,
      maxPossibleRemainingResidentCredentialsCount: 23,
    });
  });

  it('takes a getInfo already read without asking the key again', async () => {
    const device = new CaptureDevice();
    const ctap2 = await Ctap2.create(device, { info: minimalInfo({ versions: ['FIDO_2_1'] }) });
    expect(ctap2.info.versions).toEqual(['FIDO_2_1']);
    expect(device.requests).toHaveLength(0);
  });
});
