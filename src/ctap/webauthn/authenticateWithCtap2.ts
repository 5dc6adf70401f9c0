// get() on a CTAP2 key: user verification, the allow list probe, prf / hmac-secret salts, getAssertion, and the account choice.

import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { toBase64Url } from '../bytes.js';
import { ClientPin } from '../ctap2/ClientPin.js';
import type { Ctap2 } from '../ctap2/Ctap2.js';
import { extensionMap } from '../ctap2/extensions/extension.js';
import {
  hmacSecretGetInput,
  isHmacSecretSupported,
  parseHmacSecretOutput,
  type HmacSecretOutput,
} from '../ctap2/extensions/hmacSecret.js';
import type { AssertionResponse } from '../ctap2/getAssertion.js';
import type { Encapsulation } from '../ctap2/pinUvAuthProtocol.js';
import { ClientError } from '../errors.js';
import type { Ceremony } from './ceremony.js';
import type { CollectedClientData } from './clientData.js';
import { batchCredentials, findCredential } from './credentialLists.js';
import { getOutputs, type GetExtensionRequest } from './extensions.js';
import type { GetRequest } from './requestOptions.js';
import { authenticationResponse } from './responses.js';
import type { AccountChoice } from './types.js';
import { withUserVerification } from './userVerification.js';

export async function authenticateWithCtap2(
  ctap2: Ctap2,
  req: GetRequest,
  ext: GetExtensionRequest,
  clientData: CollectedClientData,
  ceremony: Ceremony,
): Promise<AuthenticationResponseJSON> {
  const { info } = ctap2;
  const batches = batchCredentials(req.allowList, info);
  if (req.allowList.length > 0 && batches.length === 0) {
    throw new ClientError(
      'no-credentials',
      'This key holds none of the allowed credentials: their ids are longer than any it makes.',
    );
  }
  // evalByCredential must know the credential before the request, so even a list the key takes whole is probed.
  const probe = batches.length > 1 || (ext.byCredential && (batches[0]?.length ?? 0) > 1);
  const hmac = ext.kind !== undefined && isHmacSecretSupported(info) && ClientPin.isSupported(info);
  const context = {
    ctap2,
    ceremony,
    permissions: ClientPin.PERMISSION.ga,
    requirement: req.userVerification,
    keyDemands: false,
  };

  return withUserVerification(context, async (uv) => {
    const signal = ceremony.signal;
    let allowList = batches[0];
    if (probe) {
      const held = await findCredential(ctap2, req.rpId, batches, uv, { signal });
      if (!held) throw new ClientError('no-credentials', 'This key holds none of the allowed credentials.');
      allowList = [held];
    }
    const salts = hmac ? ext.saltsFor(allowList?.length === 1 ? allowList[0]!.id : undefined) : undefined;
    let clientPin: ClientPin | undefined;
    let shared: Encapsulation | undefined;
    let output: HmacSecretOutput | undefined;
    try {
      if (salts) {
        clientPin = new ClientPin(ctap2);
        shared = await clientPin.getSharedSecret({ signal });
      }
      const extensions = extensionMap(
        salts && clientPin && shared
          ? hmacSecretGetInput({ protocol: clientPin.protocol, encapsulation: shared, ...salts })
          : undefined,
      );
      const params = {
        rpId: req.rpId,
        clientDataHash: clientData.hash,
        ...(allowList && allowList.length > 0 ? { allowList } : {}),
        ...(extensions.size > 0 ? { extensions } : {}),
        ...(uv.kind === 'builtin' ? { options: { uv: true } } : {}),
        ...(uv.kind === 'token' ? { pinUvAuthToken: uv.token } : {}),
      };
      const callOptions = { signal, onKeepalive: ceremony.touchPrompt('presence') };
      // With an allow list any credential the key holds will do; without one, each is an account the user may pick.
      const assertion = params.allowList
        ? await ctap2.getAssertion(params, callOptions)
        : await chooseAccount(await ctap2.getAssertions(params, callOptions), ceremony);
      if (salts && clientPin && shared) {
        output = parseHmacSecretOutput(assertion.authData.extensions, {
          protocol: clientPin.protocol,
          encapsulation: shared,
          saltCount: salts.salt2 === undefined ? 1 : 2,
        });
      }
      return authenticationResponse({
        credentialId: assertion.credential.id,
        clientData,
        authData: assertion.authData.raw,
        signature: assertion.signature,
        userHandle: assertion.user?.id,
        extensions: getOutputs(ext, output),
      });
    } finally {
      output?.dispose();
      shared?.dispose();
    }
  });
}

/** The assertion of the account the user picks; the key's own pick (userSelected) or the UI's, else the first. */
async function chooseAccount(assertions: AssertionResponse[], ceremony: Ceremony): Promise<AssertionResponse> {
  const first = assertions[0]!;
  if (assertions.length === 1 || first.userSelected === true || !ceremony.ui.chooseAccount) return first;
  const accounts: AccountChoice[] = assertions.map((a) => ({
    credentialId: toBase64Url(a.credential.id),
    ...(a.user ? { userHandle: toBase64Url(a.user.id) } : {}),
    ...(a.user?.name === undefined ? {} : { name: a.user.name }),
    ...(a.user?.displayName === undefined ? {} : { displayName: a.user.displayName }),
  }));
  const index = await ceremony.race(
    ceremony.ui.chooseAccount({ accounts, rpId: ceremony.rpId, signal: ceremony.signal }),
  );
  if (index === undefined) throw new ClientError('cancelled', 'No account was chosen.');
  const chosen = Number.isInteger(index) ? assertions[index] : undefined;
  if (!chosen)
    throw new ClientError(
      'bad-request',
      `chooseAccount answered ${index}, expected an index from 0 to ${assertions.length - 1}.`,
    );
  return chosen;
}
