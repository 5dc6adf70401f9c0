// getInfo as `latchkey info` prints it, from the getInfo a real YubiKey sent (libfido2's recording).

import { describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import type { AuthenticatorInfo } from '../../../src/ctap/ctap2/info.js';
import { authenticatorInfoJson } from '../../../src/main/cli/authenticatorInfoJson.js';
import { formatAuthenticatorInfo } from '../../../src/main/cli/formatAuthenticatorInfo.js';
import type { DeviceInfo } from '../../../src/main/devices/DeviceInfo.js';
import { replayDevice } from '../../support/replayHid.js';
import { recordedReports } from '../../support/wiredata.js';

async function recordedInfo(): Promise<AuthenticatorInfo> {
  const { device } = await replayDevice(recordedReports('WIREDATA_CTAP_CBOR_INFO'));
  return (await Ctap2.create(device)).info;
}

const device: DeviceInfo = {
  id: 'usb:1050:0407:12345678',
  transport: 'usb',
  name: 'Security Key by Yubico',
  aaguid: 'f8a011f3-8c0a-4d15-8006-17111f9edc7d',
  model: 'Security Key by Yubico',
};

describe('getInfo as JSON', () => {
  it('has every known member, null when absent, bytes as hex and maps as objects', async () => {
    const info = await recordedInfo();
    const json = authenticatorInfoJson(info);
    // Survives JSON (no Map, bigint or Uint8Array left inside).
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).toMatchObject({
      versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1', 'FIDO_2_3'],
      aaguid: 'f8a011f3-8c0a-4d15-8006-17111f9edc7d',
      maxMsgSize: 1536,
      pinUvAuthProtocols: [2, 1],
      transports: ['nfc', 'usb', 'smart-card'],
      algorithms: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -8 },
        { type: 'public-key', alg: -35 },
      ],
      minPINLength: 4,
      maxPINLength: 63,
      uvModality: null,
      certifications: null,
    });
    expect((json.options as Record<string, boolean>).clientPin).toBe(false);
    expect(json.encIdentifier).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(json).slice(0, 6)).toEqual([
      'versions',
      'extensions',
      'aaguid',
      'options',
      'maxMsgSize',
      'pinUvAuthProtocols',
    ]);
    expect(Object.keys(json.unknown as object).every((k) => typeof k === 'string')).toBe(true);
  });
});

describe('getInfo in words', () => {
  it('prints one aligned line per member the key sent, with the model beside the AAGUID and the PIN state', async () => {
    const lines = formatAuthenticatorInfo(device, await recordedInfo());
    expect(lines[0]).toMatch(/^Key {2,}Security Key by Yubico$/);
    const valueColumn = lines[0]!.indexOf('Security');
    expect(lines.every((l) => l.length > valueColumn && l[valueColumn - 1] === ' ')).toBe(true);
    const text = lines.join('\n');
    expect(text).toMatch(/AAGUID +f8a011f3-8c0a-4d15-8006-17111f9edc7d \(Security Key by Yubico\)/);
    expect(text).toMatch(/PIN +not set/);
    expect(text).toMatch(/Algorithms +ES256 \(-7\), EdDSA \(-8\), ES384 \(-35\)/);
    expect(text).toMatch(/Max message size +1536 bytes/);
    expect(text).not.toMatch(/UV modality/);
  });

  it('says plainly that a U2F-only key has no getInfo', () => {
    const lines = formatAuthenticatorInfo(
      { id: 'nfc:Reader', transport: 'nfc', name: 'Security key on Reader', reader: 'Reader', versions: ['U2F_V2'] },
      undefined,
    );
    expect(lines.join('\n')).toMatch(/Transport +nfc \(reader "Reader"\)\nVersions +U2F_V2 \(U2F only/);
  });
});
