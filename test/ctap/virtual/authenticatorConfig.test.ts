import { X509Certificate, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/ctap/bytes.js';
import { AuthenticatorConfig } from '../../../src/ctap/ctap2/AuthenticatorConfig.js';
import { ClientPin } from '../../../src/ctap/ctap2/ClientPin.js';
import { extensionMap, minPinLengthInput, parseMinPinLengthOutput } from '../../../src/ctap/ctap2/extensions/index.js';
import { CtapStatus } from '../../../src/ctap/ctapStatus.js';
import { VIRTUAL_PROFILES, type VirtualProfile } from '../../../src/ctap/virtual/index.js';
import { PIN, credentialParams, openKey, setPin, statusOf, type OpenKey } from './clients.js';
import { RP_ID } from './support.js';

async function configured(open: OpenKey): Promise<{ clientPin: ClientPin; config: AuthenticatorConfig }> {
  const clientPin = await setPin(open.ctap2);
  const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.acfg });
  return { clientPin, config: new AuthenticatorConfig(open.ctap2, token) };
}

describe('authenticatorConfig (yubikey5)', () => {
  it('toggles alwaysUv: makeCredential then needs a token even for non-discoverable credentials', async () => {
    const open = await openKey();
    const { config, clientPin } = await configured(open);
    await config.toggleAlwaysUv();
    const info = await open.ctap2.getInfo();
    expect(info.options.get('alwaysUv')).toBe(true);
    expect(info.options.get('makeCredUvNotRqd')).toBe(false);
    expect(await statusOf(open.ctap2.makeCredential(credentialParams()))).toBe(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    const token = await clientPin.getPinToken(PIN, { rpId: RP_ID });
    expect((await open.ctap2.makeCredential(credentialParams({ token }))).authData.flags.uv).toBe(true);
    // A new token replaces the one before it, so config needs a fresh acfg token.
    expect(await statusOf(config.toggleAlwaysUv())).toBe(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    const acfg = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.acfg });
    await new AuthenticatorConfig(open.ctap2, acfg).toggleAlwaysUv();
    expect((await open.ctap2.getInfo()).options.get('alwaysUv')).toBe(false);
  });

  it('answers PUAT_REQUIRED with alwaysUv on a key without a PIN, and takes config without a token there', async () => {
    const open = await openKey();
    await new AuthenticatorConfig(open.ctap2).toggleAlwaysUv();
    expect(await statusOf(open.ctap2.makeCredential(credentialParams()))).toBe(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
  });

  it('raises the minimum PIN length, never lowers it, and checks new PINs against it in code points', async () => {
    const open = await openKey();
    const { config, clientPin } = await configured(open);
    await config.setMinPinLength({ newMinPINLength: 6 });
    const info = await open.ctap2.getInfo();
    expect(info.minPINLength).toBe(6);
    // The 4-digit PIN is now too short: forcePINChange, and no token until the PIN changes.
    expect(info.forcePINChange).toBe(true);
    expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    await clientPin.changePin(PIN, '123456');
    expect((await open.ctap2.getInfo()).forcePINChange).toBe(false);
    const token = await clientPin.getPinToken('123456', { permissions: ClientPin.PERMISSION.acfg });
    const again = new AuthenticatorConfig(open.ctap2, token);
    expect(await statusOf(again.setMinPinLength({ newMinPINLength: 5 }))).toBe(
      CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION,
    );
  });

  it('forces a PIN change on request', async () => {
    const open = await openKey();
    const { config, clientPin } = await configured(open);
    await config.setMinPinLength({ forceChangePin: true });
    expect((await open.ctap2.getInfo()).forcePINChange).toBe(true);
    expect(await statusOf(clientPin.getPinToken(PIN))).toBe(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    await clientPin.changePin(PIN, '4321');
    expect(await statusOf(clientPin.getPinToken('4321'))).toBe(0);
  });

  it('tells the minimum PIN length only to the RPs named in minPinLengthRPIDs', async () => {
    const open = await openKey();
    const { config, clientPin } = await configured(open);
    await config.setMinPinLength({ minPinLengthRPIDs: [RP_ID] });
    const extensions = extensionMap(minPinLengthInput());
    const listed = await open.ctap2.makeCredential(
      credentialParams({ extensions, token: await clientPin.getPinToken(PIN, { rpId: RP_ID }) }),
    );
    expect(parseMinPinLengthOutput(listed.authData.extensions)).toBe(4);
    const other = await open.ctap2.makeCredential(credentialParams({ rpId: 'example.org', extensions }));
    expect(parseMinPinLengthOutput(other.authData.extensions)).toBeUndefined();
  });

  it('refuses a token without the acfg permission', async () => {
    const open = await openKey();
    const clientPin = await setPin(open.ctap2);
    const token = await clientPin.getPinToken(PIN, { permissions: ClientPin.PERMISSION.cm });
    expect(await statusOf(new AuthenticatorConfig(open.ctap2, token).toggleAlwaysUv())).toBe(
      CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID,
    );
    expect(await statusOf(new AuthenticatorConfig(open.ctap2).toggleAlwaysUv())).toBe(
      CtapStatus.CTAP2_ERR_PUAT_REQUIRED,
    );
  });
});

describe('enterprise attestation (a YubiKey 5 Enterprise Attestation edition: the yubikey5 row with ep)', () => {
  const enterprise: VirtualProfile = {
    ...VIRTUAL_PROFILES.yubikey5,
    name: 'yubikey5ep',
    options: { ...VIRTUAL_PROFILES.yubikey5.options, ep: false },
  };

  it('stays off until enableEnterpriseAttestation, then signs with the attestation certificate and says epAtt', async () => {
    const open = await openKey({ profile: enterprise });
    const { config, clientPin } = await configured(open);
    const before = await open.ctap2.makeCredential({ ...credentialParams(), enterpriseAttestation: 1 });
    expect(before.epAtt).toBeUndefined();
    expect(before.attStmt.has('x5c')).toBe(false);
    await config.enableEnterpriseAttestation();
    expect((await open.ctap2.getInfo()).options.get('ep')).toBe(true);
    const params = {
      ...credentialParams({ token: await clientPin.getPinToken(PIN, { rpId: RP_ID }) }),
      enterpriseAttestation: 2,
    };
    const after = await open.ctap2.makeCredential(params);
    expect(after.epAtt).toBe(true);
    const [der] = after.attStmt.get('x5c') as Uint8Array[];
    const certificate = new X509Certificate(der!);
    expect(certificate.subject).toContain('OU=Authenticator Attestation');
    const signed = concatBytes(after.authData.raw, params.clientDataHash);
    expect(verify('sha256', signed, certificate.publicKey, after.attStmt.get('sig') as Uint8Array)).toBe(true);
    expect(await statusOf(open.ctap2.makeCredential({ ...credentialParams(), enterpriseAttestation: 3 }))).toBe(
      CtapStatus.CTAP2_ERR_INVALID_OPTION,
    );
  });
});
