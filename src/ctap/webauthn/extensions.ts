// WebAuthn client extensions onto CTAP2 extensions and back: credProps, prf / hmac-secret, credProtect, minPinLength. Others are ignored.

import { fromBase64Url, toBase64Url } from '../bytes.js';
import type { CborMap } from '../cbor/types.js';
import { credProtectInput } from '../ctap2/extensions/credProtect.js';
import type { ExtensionInput } from '../ctap2/extensions/extension.js';
import {
  HMAC_SECRET_SALT_SIZE,
  hmacSecretCreateInput,
  isHmacSecretSupported,
  parseHmacSecretCreateOutput,
  prfSalts,
  type HmacSecretOutput,
  type HmacSecretSalts,
  type PrfValues,
} from '../ctap2/extensions/hmacSecret.js';
import { isMinPinLengthSupported, minPinLengthInput } from '../ctap2/extensions/minPinLength.js';
import type { AuthenticatorInfo } from '../ctap2/info.js';
import { ClientError } from '../errors.js';
import type { BytesInput, PrfValuesInput, WebAuthnExtensionInputs, WebAuthnExtensionOutputs } from './types.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Bytes from base64url text (WebAuthn's JSON forms) or from an ArrayBuffer / view; a copy the caller may zero. */
export function bytesFrom(value: BytesInput | undefined, what: string): Uint8Array {
  if (typeof value === 'string') {
    if (!BASE64URL.test(value) || value.length % 4 === 1)
      throw new ClientError('bad-request', `${what} is not base64url text.`);
    return fromBase64Url(value);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  throw new ClientError('bad-request', `${what} must be base64url text or bytes.`);
}

/** What create() asked of the extensions, read once before any key is touched. */
export interface CreateExtensionRequest {
  credProps: boolean;
  /** hmacCreateSecret: true, or prf (which rides on hmac-secret). */
  hmacCreateSecret: boolean;
  prf: boolean;
  /** prf eval at creation: evaluated only by keys with hmac-secret-mc (CTAP 2.2). */
  prfEval: PrfValues | undefined;
  credProtect: Pick<Parameters<typeof credProtectInput>[0], 'policy' | 'enforce'> | undefined;
  minPinLength: boolean;
}

export function readCreateExtensions(ext: WebAuthnExtensionInputs | undefined): CreateExtensionRequest {
  const prf = ext?.prf;
  if (prf?.evalByCredential !== undefined && Object.keys(prf.evalByCredential).length > 0) {
    throw new ClientError(
      'bad-request',
      'The prf extension takes no evalByCredential when creating a credential (WebAuthn Level 3 section 10.1.4).',
    );
  }
  return {
    credProps: ext?.credProps === true,
    hmacCreateSecret: ext?.hmacCreateSecret === true,
    prf: prf !== undefined,
    prfEval: prf?.eval === undefined ? undefined : prfValues(prf.eval, 'prf eval'),
    credProtect:
      ext?.credentialProtectionPolicy === undefined
        ? undefined
        : { policy: ext.credentialProtectionPolicy, enforce: ext.enforceCredentialProtectionPolicy === true },
    minPinLength: ext?.minPinLength === true,
  };
}

/** The CTAP inputs of a makeCredential that need no shared secret (hmac-secret-mc is added by the caller). */
export function createInputs(req: CreateExtensionRequest, info: AuthenticatorInfo): (ExtensionInput | undefined)[] {
  return [
    (req.hmacCreateSecret || req.prf) && isHmacSecretSupported(info) ? hmacSecretCreateInput() : undefined,
    req.credProtect ? credProtectInput({ info, ...req.credProtect }) : undefined,
    req.minPinLength && isMinPinLengthSupported(info) ? minPinLengthInput() : undefined,
  ];
}

/** clientExtensionResults of create(). `prfOutput` is the hmac-secret-mc result, base64url-encoded here and not disposed. */
export function createOutputs(
  req: CreateExtensionRequest,
  authenticatorExtensions: CborMap | undefined,
  rk: boolean,
  prfOutput: HmacSecretOutput | undefined,
): WebAuthnExtensionOutputs {
  const out: WebAuthnExtensionOutputs = {};
  if (req.credProps) out.credProps = { rk };
  const hmacCreated = parseHmacSecretCreateOutput(authenticatorExtensions) === true;
  if (req.hmacCreateSecret) out.hmacCreateSecret = hmacCreated;
  if (req.prf)
    out.prf = prfOutput ? { enabled: hmacCreated, results: prfResults(prfOutput) } : { enabled: hmacCreated };
  return out;
}

/** What get() asked of hmac-secret: salts per credential, from prf (hashed) or hmacGetSecret (raw). */
export interface GetExtensionRequest {
  kind: 'prf' | 'hmacGetSecret' | undefined;
  /** evalByCredential is used: the request must name one credential, so a longer allow list is probed first. */
  byCredential: boolean;
  saltsFor(credentialId: Uint8Array | undefined): HmacSecretSalts | undefined;
}

export function readGetExtensions(
  ext: WebAuthnExtensionInputs | undefined,
  allowed: readonly Uint8Array[],
): GetExtensionRequest {
  const prf = ext?.prf;
  const raw = ext?.hmacGetSecret;
  if (prf !== undefined && raw !== undefined) {
    throw new ClientError(
      'bad-request',
      'prf and hmacGetSecret both use the key\u2019s hmac-secret: ask for one of them.',
    );
  }
  if (raw !== undefined) {
    const salts = {
      salt1: salt(raw.salt1, 'hmacGetSecret salt1'),
      salt2: raw.salt2 === undefined ? undefined : salt(raw.salt2, 'hmacGetSecret salt2'),
    };
    return { kind: 'hmacGetSecret', byCredential: false, saltsFor: () => salts };
  }
  if (prf === undefined) return { kind: undefined, byCredential: false, saltsFor: () => undefined };

  const fallback = prf.eval === undefined ? undefined : prfValues(prf.eval, 'prf eval');
  const byCredential = new Map<string, PrfValues>();
  for (const [id, values] of Object.entries(prf.evalByCredential ?? {})) {
    if (allowed.length === 0)
      throw new ClientError(
        'bad-request',
        'prf evalByCredential needs allowCredentials (WebAuthn Level 3 section 10.1.4).',
      );
    if (id === '' || !allowed.some((a) => toBase64Url(a) === id)) {
      throw new ClientError(
        'bad-request',
        `prf evalByCredential names "${id}", which is not the base64url id of an allowed credential.`,
      );
    }
    byCredential.set(id, prfValues(values, `prf evalByCredential["${id}"]`));
  }
  return {
    kind: 'prf',
    byCredential: byCredential.size > 0,
    saltsFor: (credentialId) => {
      const values = (credentialId && byCredential.get(toBase64Url(credentialId))) ?? fallback;
      return values === undefined ? undefined : prfSalts(values);
    },
  };
}

/** clientExtensionResults of get(). `output` is base64url-encoded here; the caller disposes of it. */
export function getOutputs(req: GetExtensionRequest, output: HmacSecretOutput | undefined): WebAuthnExtensionOutputs {
  if (req.kind === 'prf') return { prf: output ? { results: prfResults(output) } : {} };
  if (req.kind === 'hmacGetSecret' && output) {
    return {
      hmacGetSecret: output.output2
        ? { output1: toBase64Url(output.output1), output2: toBase64Url(output.output2) }
        : { output1: toBase64Url(output.output1) },
    };
  }
  return {};
}

/** clientExtensionResults of a U2F registration: no passkey, no hmac-secret. */
export function u2fCreateOutputs(req: CreateExtensionRequest): WebAuthnExtensionOutputs {
  const out: WebAuthnExtensionOutputs = {};
  if (req.credProps) out.credProps = { rk: false };
  if (req.hmacCreateSecret) out.hmacCreateSecret = false;
  if (req.prf) out.prf = { enabled: false };
  return out;
}

function prfResults(output: HmacSecretOutput): { first: string; second?: string } {
  return output.output2
    ? { first: toBase64Url(output.output1), second: toBase64Url(output.output2) }
    : { first: toBase64Url(output.output1) };
}

function prfValues(values: PrfValuesInput, what: string): PrfValues {
  if (typeof values !== 'object' || values === null)
    throw new ClientError('bad-request', `${what} must be an object with "first" (and "second").`);
  return {
    first: bytesFrom(values.first, `${what} first`),
    second: values.second === undefined ? undefined : bytesFrom(values.second, `${what} second`),
  };
}

function salt(value: BytesInput, what: string): Uint8Array {
  const bytes = bytesFrom(value, what);
  if (bytes.length !== HMAC_SECRET_SALT_SIZE)
    throw new ClientError('bad-request', `${what} must be ${HMAC_SECRET_SALT_SIZE} bytes, got ${bytes.length}.`);
  return bytes;
}
