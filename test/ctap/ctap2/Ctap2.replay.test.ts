// Ctap2 against answers recorded from a real YubiKey (libfido2's wiredata; provenance in test/fixtures).
import { X509Certificate, createVerify, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ctap2 } from '../../../src/ctap/ctap2/Ctap2.js';
import { coseToPublicKey } from '../../../src/ctap/cose/coseKey.js';
import { concatBytes, formatAaguid, fromHex, toHex } from '../../../src/ctap/bytes.js';
import { decodeCbor } from '../../../src/ctap/cbor/index.js';
import { ProtocolError } from '../../../src/ctap/errors.js';
import { parseAuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { onRecordedChannel, replayDevice } from '../../support/replayHid.js';
import { minimalInfo } from '../../support/minimalInfo.js';
import { recordedReports, regressVector } from '../../support/wiredata.js';

describe('Ctap2 replaying a YubiKey 5 (firmware 5.2.1)', () => {
  it('parses the recorded getInfo: versions, AAGUID, maxMsgSize, protocols, transports, algorithms, CTAP 2.2 fields, unknown keys', async () => {
    const { device } = await replayDevice(recordedReports('WIREDATA_CTAP_CBOR_INFO'));
    const ctap2 = await Ctap2.create(device);
    const info = ctap2.info;
    expect(info.versions).toEqual(['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1', 'FIDO_2_3']);
    expect(formatAaguid(info.aaguid)).toBe('f8a011f3-8c0a-4d15-8006-17111f9edc7d');
    expect(info.maxMsgSize).toBe(1536);
    expect(info.pinUvAuthProtocols).toEqual([2, 1]);
    expect(info.maxCredentialCountInList).toBe(8);
    expect(info.maxCredentialIdLength).toBe(128);
    expect(info.transports).toEqual(['nfc', 'usb', 'smart-card']);
    expect(info.algorithms?.map((a) => a.alg)).toEqual([-7, -8, -35]);
    expect(info.maxSerializedLargeBlobArray).toBe(4096);
    expect(info.forcePINChange).toBe(false);
    expect(info.minPINLength).toBe(4);
    expect(info.firmwareVersion).toBe(1);
    expect(info.maxCredBlobLength).toBe(32);
    expect(info.maxRPIDsForSetMinPINLength).toBe(1);
    expect(info.remainingDiscoverableCredentials).toBe(100);
    expect(info.attestationFormats).toEqual(['packed']);
    expect(info.extensions).toContain('hmac-secret');
    expect(info.options.get('clientPin')).toBe(false);
    expect(info.options.get('credMgmt')).toBe(true);
    expect(info.longTouchForReset).toBe(true);
    expect(info.maxPINLength).toBe(63);
    expect(info.encIdentifier?.length).toBe(32);
    expect(info.authenticatorConfigCommands).toEqual([1, 2, 3]);
    // Everything the key sent is accounted for: parsed into a field or kept in `unknown`.
    const raw = decodeCbor(concatRecordedPayload('WIREDATA_CTAP_CBOR_INFO').subarray(1)) as Map<number, unknown>;
    for (const [key, value] of info.unknown) expect(raw.get(key as number)).toEqual(value);
  });

  it('sends exactly 0x04 for getInfo', async () => {
    const { conn, device } = await replayDevice(recordedReports('WIREDATA_CTAP_CBOR_INFO'));
    await Ctap2.create(device);
    expect(conn.written[1]!.subarray(0, 8)).toEqual(fromHex('0022000290000104'));
  });

  it('parses the recorded makeCredential: authData, credential id, COSE key and a packed attestation that verifies against its x5c', async () => {
    const { device } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      recordedReports('REGRESS_WIREDATA_MAKECRED'),
    );
    const ctap2 = await Ctap2.create(device);
    const cdh = regressVector('regress/cred.c:cdh');
    const att = await ctap2.makeCredential({
      clientDataHash: cdh,
      rp: { id: 'localhost', name: 'sweet home localhost' },
      user: { id: fromHex('78'.repeat(32)), name: 'john smith' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    });
    expect(att.fmt).toBe('packed');
    const expectedAuthData = decodeCbor(regressVector('regress/cred.c:authdata')) as Uint8Array;
    expect(toHex(att.authData.raw)).toBe(toHex(expectedAuthData));
    expect(att.authData.flags).toMatchObject({ up: true, uv: false, at: true, ed: false, value: 0x41 });
    expect(att.authData.signCount).toBe(4);
    const acd = att.authData.attestedCredentialData!;
    expect(toHex(acd.aaguid)).toBe(toHex(regressVector('regress/cred.c:aaguid')));
    expect(toHex(acd.credentialId)).toBe(toHex(regressVector('regress/cred.c:id')));
    expect(toHex(concatBytes(acd.publicKey.get(-2) as Uint8Array, acd.publicKey.get(-3) as Uint8Array))).toBe(
      toHex(regressVector('regress/cred.c:pubkey')),
    );
    expect(() => coseToPublicKey(acd.publicKey)).not.toThrow();

    const x5c = att.attStmt.get('x5c') as Uint8Array[];
    const sig = att.attStmt.get('sig') as Uint8Array;
    expect(att.attStmt.get('alg')).toBe(-7);
    expect(toHex(x5c[0]!)).toBe(toHex(regressVector('regress/cred.c:x509')));
    expect(toHex(sig)).toBe(toHex(regressVector('regress/cred.c:sig')));
    const cert = new X509Certificate(x5c[0]!);
    expect(cert.subject).toContain('Yubico U2F');
    const verifier = createVerify('SHA256');
    verifier.update(concatBytes(att.authData.raw, cdh));
    expect(verifier.verify(cert.publicKey, sig)).toBe(true);
    verifier.destroy();
    // One flipped bit in the signed data and the same signature no longer verifies.
    const tampered = concatBytes(att.authData.raw, cdh);
    tampered[40]! ^= 1;
    expect(verify('SHA256', tampered, cert.publicKey, sig)).toBe(false);
  });

  it('parses the recorded enterprise-attestation makeCredential and reports epAtt', async () => {
    const { device } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      recordedReports('REGRESS_WIREDATA_MAKECRED_ENTATTEST'),
    );
    const ctap2 = await Ctap2.create(device);
    const att = await ctap2.makeCredential({
      clientDataHash: regressVector('regress/cred.c:cdh'),
      rp: { id: 'ep.fidoalliance.co.nz' },
      user: { id: new Uint8Array(32) },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      enterpriseAttestation: 1,
    });
    expect(att.epAtt).toBe(true);
    expect(toHex((att.attStmt.get('x5c') as Uint8Array[])[0]!)).toBe(
      toHex(regressVector('regress/cred.c:x509_entattest')),
    );
  });

  it('parses the recorded assertion: credential, authData for localhost, signature', async () => {
    const { device } = await replayDevice(
      recordedReports('WIREDATA_CTAP_CBOR_INFO'),
      onRecordedChannel(recordedReports('WIREDATA_CTAP_CBOR_ASSERT')),
    );
    const ctap2 = await Ctap2.create(device);
    const assertion = await ctap2.getAssertion({ rpId: 'localhost', clientDataHash: new Uint8Array(32) });
    expect(assertion.credential.type).toBe('public-key');
    expect(assertion.credential.id.length).toBe(64);
    expect(toHex(assertion.authData.rpIdHash)).toBe('49960de5880e8c687434170f6476605b8fe4aeb9a28632c7995cf3ba831d9763');
    expect(assertion.authData.signCount).toBe(9);
    expect(assertion.signature.length).toBe(71);
    expect(assertion.signature[0]).toBe(0x30);
  });

  it('verifies libfido2\u2019s recorded ES256 assertion vector with the COSE key built from x||y', () => {
    const authData = decodeCbor(regressVector('regress/assert.c:authdata')) as Uint8Array;
    const parsed = parseAuthenticatorData(authData);
    expect(parsed.signCount).toBe(3);
    const xy = regressVector('regress/assert.c:es256_pk');
    const key = coseToPublicKey(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, xy.subarray(0, 32)],
        [-3, xy.subarray(32)],
      ]),
    );
    const signed = concatBytes(authData, regressVector('regress/assert.c:cdh'));
    const sig = regressVector('regress/assert.c:sig');
    expect(verify('SHA256', signed, key, sig)).toBe(true);
  });

  it('rejects recorded authData whose COSE key has unsorted or duplicate keys, as libfido2 does', () => {
    for (const name of ['regress/cred.c:authdata_unsorted_keys', 'regress/cred.c:authdata_dupkeys']) {
      const raw = decodeCbor(regressVector(name)) as Uint8Array;
      expect(() => parseAuthenticatorData(raw)).toThrow(ProtocolError);
    }
  });

  it('falls back to lenient CBOR for a key that sends unsorted maps, warns once, and stays lenient', async () => {
    const warnings: string[] = [];
    const unsorted = fromHex('00a2' + '0302' + '0101');
    const { CaptureDevice } = await import('../../support/captureDevice.js');
    const ctap2 = await Ctap2.create(new CaptureDevice([unsorted, unsorted]), {
      info: minimalInfo(),
      logger: { debug: () => {}, warn: (m) => warnings.push(m) },
    });
    expect(await ctap2.send(0x06, new Map([[1, 1]]))).toEqual(
      new Map([
        [3, 2],
        [1, 1],
      ]),
    );
    expect(ctap2.cborLenient).toBe(true);
    await ctap2.send(0x06, new Map([[1, 1]]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/non-canonical/);
  });
});

function concatRecordedPayload(name: string): Uint8Array {
  const reports = recordedReports(name);
  const length = (reports[0]![5]! << 8) | reports[0]![6]!;
  const parts = [reports[0]!.subarray(7), ...reports.slice(1).map((r) => r.subarray(5))];
  return concatBytes(...parts).subarray(0, length);
}
