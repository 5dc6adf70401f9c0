// create() on a CTAP2 key: passkey or not, user verification, the exclude list probe, extensions, then makeCredential.

import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { ClientPin } from '../ctap2/ClientPin.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import { extensionMap } from '../ctap2/extensions/extension.js';
import {
  hmacSecretMcInput,
  isHmacSecretMcSupported,
  parseHmacSecretMcOutput,
  prfSalts,
  type HmacSecretOutput,
} from '../ctap2/extensions/hmacSecret.js';
import type { Encapsulation } from '../ctap2/pinUvAuthProtocol.js';
import { ClientError, ProtocolError } from '../errors.js';
import type { Ceremony } from './ceremony.js';
import type { CollectedClientData } from './clientData.js';
import { batchCredentials, findCredential } from './credentialLists.js';
import { createInputs, createOutputs } from './extensions.js';
import type { CreateRequest } from './requestOptions.js';
import { registrationResponse, conveyAttestation, transportsOf } from './responses.js';
import { makeCredentialDemandsUv, withUserVerification } from './userVerification.js';

export async function registerWithCtap2(
  ctap2: Ctap2,
  req: CreateRequest,
  clientData: CollectedClientData,
  ceremony: Ceremony,
): Promise<RegistrationResponseJSON> {
  const { info } = ctap2;
  const canRk = info.options.get('rk') === true;
  // WebAuthn Level 3 section 5.4.6: "preferred" makes a passkey where the key can store one.
  const rk = req.residentKey === 'required' || (req.residentKey === 'preferred' && canRk);
  if (rk && !canRk) {
    throw new ClientError(
      'device-not-supported',
      'The relying party requires a passkey (discoverable credential), which this key cannot store.',
    );
  }
  const staticInputs = createInputs(req.extensions, info);
  const prfEval =
    req.extensions.prfEval !== undefined && isHmacSecretMcSupported(info) && ClientPin.isSupported(info)
      ? req.extensions.prfEval
      : undefined;
  const batches = batchCredentials(req.excludeList, info);
  // One batch goes out as the excludeList itself; more need the probe, which is a getAssertion (permission ga).
  const probe = batches.length > 1;
  const permissions = ClientPin.PERMISSION.mc | (probe ? ClientPin.PERMISSION.ga : 0);
  const context = {
    ctap2,
    ceremony,
    permissions,
    requirement: req.userVerification,
    keyDemands: makeCredentialDemandsUv(info, rk),
  };

  return withUserVerification(context, async (uv) => {
    const signal = ceremony.signal;
    let excludeList = batches[0];
    if (probe) {
      // A match still goes to the key, which then waits for a touch before refusing: the user consents to learning
      // that this key is registered already (python-fido2 does the same).
      const held = await findCredential(ctap2, req.rpId, batches, uv, { signal });
      excludeList = held ? [held] : undefined;
    }
    let clientPin: ClientPin | undefined;
    let shared: Encapsulation | undefined;
    let prfOutput: HmacSecretOutput | undefined;
    try {
      if (prfEval) {
        clientPin = new ClientPin(ctap2);
        shared = await clientPin.getSharedSecret({ signal });
      }
      const extensions = extensionMap(
        ...staticInputs,
        prfEval && clientPin && shared
          ? hmacSecretMcInput({ protocol: clientPin.protocol, encapsulation: shared, ...prfSalts(prfEval) })
          : undefined,
      );
      const response = await ctap2.makeCredential(
        {
          clientDataHash: clientData.hash,
          rp: req.rp,
          user: req.user,
          pubKeyCredParams: req.pubKeyCredParams,
          ...(excludeList && excludeList.length > 0 ? { excludeList } : {}),
          ...(extensions.size > 0 ? { extensions } : {}),
          options: { rk: rk || undefined, uv: uv.kind === 'builtin' || undefined },
          ...(uv.kind === 'token' ? { pinUvAuthToken: uv.token } : {}),
        },
        { signal, onKeepalive: ceremony.touchPrompt('presence') },
      );
      const attested = response.authData.attestedCredentialData;
      if (!attested)
        throw new ProtocolError('the makeCredential answer has no attested credential data (AT flag clear)');
      if (prfEval && clientPin && shared) {
        prfOutput = parseHmacSecretMcOutput(response.authData.extensions, {
          protocol: clientPin.protocol,
          encapsulation: shared,
          saltCount: prfEval.second === undefined ? 1 : 2,
        });
      }
      return registrationResponse({
        credentialId: attested.credentialId,
        clientData,
        attestation: conveyAttestation(
          { fmt: response.fmt, attStmt: response.attStmt, authData: response.authData.raw },
          req.attestation,
        ),
        publicKey: attested.publicKey,
        transports: transportsOf(info.transports, ctap2.device.transport),
        extensions: createOutputs(req.extensions, response.authData.extensions, rk, prfOutput),
      });
    } finally {
      prfOutput?.dispose();
      shared?.dispose();
    }
  });
}
