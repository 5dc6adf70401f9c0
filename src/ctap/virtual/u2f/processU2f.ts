// The U2F (CTAP1) side of the virtual key: register, authenticate and version as APDUs (FIDO U2F Raw Message Formats v1.2, CTAP 2.2 section 11).

import { createPublicKey, sign } from 'node:crypto';
import { concatBytes, zeroize } from '../../bytes.js';
import {
  REGISTER_RESERVED_BYTE,
  U2F_CLA,
  U2F_PARAM_SIZE,
  U2F_USER_PRESENCE_BIT,
  U2F_V2,
  U2fAuthenticateP1,
  U2fIns,
} from '../../ctap1/constants.js';
import { CoseAlgorithm } from '../../ctap2/constants.js';
import { encodeResponseApdu, parseCommandApdu, type ParsedCommandApdu } from '../../iso7816/apdu.js';
import { StatusWord } from '../../iso7816/constants.js';
import { ATTESTATION_CERTIFICATE, attestationPrivateKey } from '../attestationCertificate.js';
import { unwrapCredentialId, wrapCredentialId } from '../credentialId.js';
import { generatePrivateScalar, privateKeyFromScalar, signWithCredential } from '../credentialKey.js';
import { awaitPresence, type PresenceHandler } from '../presence.js';
import type { VirtualProfile } from '../profiles.js';
import { CredProtect, type PersistentState } from '../state.js';

/**
 * How long a touch counts for the next register or authenticate. U2F has no keepalive: the key answers 6985 until the
 * user has touched it and the platform, polling, sends the request again.
 */
const U2F_TOUCH_VALIDITY_MS = 10_000;

/** What a U2F request needs of the authenticator it runs on. */
export interface U2fEngine {
  readonly profile: VirtualProfile;
  readonly state: PersistentState;
  readonly presence: PresenceHandler;
  readonly userActionTimeoutMs: number;
  readonly touch: U2fTouch;
}

/**
 * The touch U2F requests poll for: the first request that needs one starts a wait on the presence handler in the
 * background; an approval is held for U2F_TOUCH_VALIDITY_MS and consumed by the next request that needs it.
 */
export class U2fTouch {
  #waiting: AbortController | undefined;
  #approvedAt: number | undefined;

  /** Whether a fresh touch is there to consume; if not, asks for one (once) and says no. */
  take(engine: Pick<U2fEngine, 'presence' | 'userActionTimeoutMs'>, command: string): boolean {
    if (this.#approvedAt !== undefined && Date.now() - this.#approvedAt <= U2F_TOUCH_VALIDITY_MS) {
      this.#approvedAt = undefined;
      return true;
    }
    this.#approvedAt = undefined;
    if (!this.#waiting) {
      const waiting = new AbortController();
      this.#waiting = waiting;
      // U2F knows no RP ID (only its hash), so the request names none.
      awaitPresence(engine.presence, {
        command,
        purpose: 'presence',
        signal: waiting.signal,
        timeoutMs: engine.userActionTimeoutMs,
      })
        .then(
          ({ outcome }) => {
            if (outcome === 'approved' && this.#waiting === waiting) this.#approvedAt = Date.now();
          },
          () => undefined,
        )
        .finally(() => {
          if (this.#waiting === waiting) this.#waiting = undefined;
        });
    }
    return false;
  }

  /** Power-off: a pending wait is withdrawn and a touch not yet used is lost. */
  reset(): void {
    this.#waiting?.abort();
    this.#waiting = undefined;
    this.#approvedAt = undefined;
  }
}

const KNOWN_INS: ReadonlySet<number> = new Set(Object.values(U2fIns));

/**
 * One U2F request APDU in, response data + status word out. Never rejects. As on real keys, the class and then the
 * instruction are checked before the lengths: an unknown instruction is 6D00 however it is framed.
 */
export function processU2fRequest(engine: U2fEngine, request: Uint8Array): Uint8Array {
  if (request.length >= 2) {
    if (request[0] !== U2F_CLA) return status(StatusWord.CLA_NOT_SUPPORTED);
    if (!KNOWN_INS.has(request[1]!)) return status(StatusWord.INS_NOT_SUPPORTED);
  }
  let apdu: ParsedCommandApdu;
  try {
    apdu = parseCommandApdu(request);
  } catch {
    return status(StatusWord.WRONG_LENGTH);
  }
  switch (apdu.ins) {
    case U2fIns.VERSION:
      if (apdu.data.length > 0) return status(StatusWord.WRONG_LENGTH);
      return encodeResponseApdu(new TextEncoder().encode(U2F_V2), StatusWord.OK);
    case U2fIns.REGISTER:
      return register(engine, apdu.data);
    case U2fIns.AUTHENTICATE:
      return authenticate(engine, apdu.p1, apdu.data);
    default:
      return status(StatusWord.INS_NOT_SUPPORTED);
  }
}

/**
 * Raw Message Formats "Registration": a new P-256 credential whose key handle is the same wrapped credential ID a
 * CTAP2 makeCredential would make for an RP whose rpIdHash is the application parameter, so CTAP2 getAssertion can use
 * it too, as on real keys.
 */
function register(engine: U2fEngine, data: Uint8Array): Uint8Array {
  if (data.length !== 2 * U2F_PARAM_SIZE) return status(StatusWord.WRONG_LENGTH);
  const challengeParam = data.subarray(0, U2F_PARAM_SIZE);
  const appParam = data.subarray(U2F_PARAM_SIZE);
  if (!engine.touch.take(engine, 'u2fRegister')) return status(StatusWord.CONDITIONS_NOT_SATISFIED);
  const scalar = generatePrivateScalar(CoseAlgorithm.ES256);
  try {
    const privateKey = privateKeyFromScalar(CoseAlgorithm.ES256, scalar);
    const keyHandle = wrapCredentialId(engine.state.wrappingKey, appParam, CoseAlgorithm.ES256, scalar, {
      credProtect: CredProtect.userVerificationOptional,
      hmacSecret: false,
    });
    const publicKey = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-65));
    const signed = concatBytes(Uint8Array.of(0x00), appParam, challengeParam, keyHandle, publicKey);
    const signature = new Uint8Array(sign('sha256', signed, { key: attestationPrivateKey(), dsaEncoding: 'der' }));
    const body = concatBytes(
      Uint8Array.of(REGISTER_RESERVED_BYTE),
      publicKey,
      Uint8Array.of(keyHandle.length),
      keyHandle,
      ATTESTATION_CERTIFICATE,
      signature,
    );
    return encodeResponseApdu(body, StatusWord.OK);
  } finally {
    zeroize(scalar);
  }
}

/**
 * Raw Message Formats "Authentication": P1 0x07 only checks the key handle (6985 ours, 6A80 not), 0x03 signs after a
 * touch (6985 until there is one), 0x08 signs without one. A credProtect level 3 credential is not usable without user
 * verification, which U2F cannot do (CTAP 2.2 section 12.1).
 */
function authenticate(engine: U2fEngine, p1: number, data: Uint8Array): Uint8Array {
  const handleLength = data[2 * U2F_PARAM_SIZE];
  if (handleLength === undefined || data.length !== 2 * U2F_PARAM_SIZE + 1 + handleLength)
    return status(StatusWord.WRONG_LENGTH);
  const challengeParam = data.subarray(0, U2F_PARAM_SIZE);
  const appParam = data.subarray(U2F_PARAM_SIZE, 2 * U2F_PARAM_SIZE);
  const keyHandle = data.subarray(2 * U2F_PARAM_SIZE + 1);
  const credential = unwrapCredentialId(engine.state.wrappingKey, appParam, keyHandle);
  if (
    !credential ||
    credential.alg !== CoseAlgorithm.ES256 ||
    credential.credProtect === CredProtect.userVerificationRequired
  ) {
    return status(StatusWord.WRONG_DATA);
  }
  let userPresence: number;
  switch (p1) {
    case U2fAuthenticateP1.CHECK_ONLY:
      return status(StatusWord.CONDITIONS_NOT_SATISFIED);
    case U2fAuthenticateP1.ENFORCE_USER_PRESENCE_AND_SIGN:
      if (!engine.touch.take(engine, 'u2fAuthenticate')) return status(StatusWord.CONDITIONS_NOT_SATISFIED);
      userPresence = U2F_USER_PRESENCE_BIT;
      break;
    case U2fAuthenticateP1.DONT_ENFORCE_USER_PRESENCE_AND_SIGN:
      userPresence = 0;
      break;
    default:
      return status(StatusWord.INCORRECT_P1P2);
  }
  const counter = new Uint8Array(4);
  new DataView(counter.buffer).setUint32(0, engine.state.nextSignCount());
  const presence = Uint8Array.of(userPresence);
  const signature = signWithCredential(
    credential.alg,
    credential.privateKey,
    concatBytes(appParam, presence, counter, challengeParam),
  );
  return encodeResponseApdu(concatBytes(presence, counter, signature), StatusWord.OK);
}

function status(sw: number): Uint8Array {
  return encodeResponseApdu(new Uint8Array(0), sw);
}
