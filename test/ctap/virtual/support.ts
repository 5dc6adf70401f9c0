// Helpers for the virtual authenticator tests: CTAP2 requests built by hand, and a frame-level CTAPHID driver.

import { createHash, verify } from 'node:crypto';
import { concatBytes } from '../../../src/ctap/bytes.js';
import { decodeCbor, encodeCbor, type CborInput, type CborMap } from '../../../src/ctap/cbor/index.js';
import { coseToPublicKey } from '../../../src/ctap/cose/coseKey.js';
import { parseAuthenticatorData, type AuthenticatorData } from '../../../src/ctap/ctap2/authenticatorData.js';
import { CoseAlgorithm, Ctap2Cmd, GetAssertionParam, MakeCredentialParam } from '../../../src/ctap/ctap2/constants.js';
import { BROADCAST_CID, CtapHidCmd, INIT_NONCE_SIZE } from '../../../src/ctap/hid/constants.js';
import { encodeFrames, isInitFrame, readCid, MessageAssembler } from '../../../src/ctap/hid/frame.js';
import type { HidConnection } from '../../../src/ctap/transport.js';
import { VirtualAuthenticator, type VirtualAuthenticatorOptions } from '../../../src/ctap/virtual/index.js';

export const RP_ID = 'latchkey.localhost';
export const ES256 = { type: 'public-key', alg: CoseAlgorithm.ES256 };
export const EDDSA = { type: 'public-key', alg: CoseAlgorithm.EdDSA };

export function sha256(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** A key with short keepalive and touch timeouts, so tests stay fast. */
export function fastKey(opts: VirtualAuthenticatorOptions = {}): VirtualAuthenticator {
  return new VirtualAuthenticator({ keepaliveIntervalMs: 10, userActionTimeoutMs: 300, ...opts });
}

export interface Ctap2Answer {
  status: number;
  body: CborMap | undefined;
  keepalives: number[];
}

/** Sends command byte + canonical CBOR straight to processCtap2 and decodes the answer strictly. */
export async function ctap2(
  key: VirtualAuthenticator,
  cmd: number,
  params?: ReadonlyMap<number, CborInput | undefined> | Uint8Array,
  signal: AbortSignal = new AbortController().signal,
): Promise<Ctap2Answer> {
  const body = params === undefined ? new Uint8Array(0) : params instanceof Uint8Array ? params : encodeCbor(params);
  const keepalives: number[] = [];
  const answer = await key.processCtap2(concatBytes(Uint8Array.of(cmd), body), {
    signal,
    onKeepalive: (s) => keepalives.push(s),
  });
  const status = answer[0]!;
  if (answer.length === 1) return { status, body: undefined, keepalives };
  const decoded = decodeCbor(answer.subarray(1));
  if (!(decoded instanceof Map)) throw new Error('CTAP2 answer body is not a map');
  return { status, body: decoded, keepalives };
}

export interface MakeCredentialInput {
  rpId?: string;
  userId?: Uint8Array;
  userName?: string;
  algs?: CborInput[];
  rk?: boolean;
  excludeList?: Uint8Array[];
  options?: Record<string, CborInput>;
  clientDataHash?: Uint8Array;
  extra?: [number, CborInput][];
}

export function makeCredentialParams(input: MakeCredentialInput = {}): Map<number, CborInput | undefined> {
  const options = input.options ?? (input.rk ? { rk: true } : undefined);
  return new Map<number, CborInput | undefined>([
    [MakeCredentialParam.clientDataHash, input.clientDataHash ?? sha256('registration challenge')],
    [MakeCredentialParam.rp, { id: input.rpId ?? RP_ID, name: 'Latchkey' }],
    [
      MakeCredentialParam.user,
      {
        id: input.userId ?? Uint8Array.of(1, 2, 3, 4),
        name: input.userName ?? 'alice@example.com',
        displayName: 'Alice',
      },
    ],
    [MakeCredentialParam.pubKeyCredParams, input.algs ?? [ES256]],
    [MakeCredentialParam.excludeList, input.excludeList?.map((id) => ({ type: 'public-key', id }))],
    [MakeCredentialParam.options, options],
    ...(input.extra ?? []),
  ]);
}

export interface GetAssertionInput {
  rpId?: string;
  allowList?: Uint8Array[];
  options?: Record<string, CborInput>;
  clientDataHash?: Uint8Array;
}

export function getAssertionParams(input: GetAssertionInput = {}): Map<number, CborInput | undefined> {
  return new Map<number, CborInput | undefined>([
    [GetAssertionParam.rpId, input.rpId ?? RP_ID],
    [GetAssertionParam.clientDataHash, input.clientDataHash ?? sha256('login challenge')],
    [GetAssertionParam.allowList, input.allowList?.map((id) => ({ type: 'public-key', id }))],
    [GetAssertionParam.options, input.options],
  ]);
}

export interface MadeCredential {
  id: Uint8Array;
  authData: AuthenticatorData;
  publicKey: CborMap;
  response: CborMap;
}

export async function makeCredential(
  key: VirtualAuthenticator,
  input: MakeCredentialInput = {},
): Promise<MadeCredential> {
  const answer = await ctap2(key, Ctap2Cmd.MAKE_CREDENTIAL, makeCredentialParams(input));
  if (answer.status !== 0 || !answer.body)
    throw new Error(`makeCredential failed with status 0x${answer.status.toString(16)}`);
  const authData = parseAuthenticatorData(answer.body.get(2) as Uint8Array);
  const attested = authData.attestedCredentialData!;
  return { id: attested.credentialId, authData, publicKey: attested.publicKey, response: answer.body };
}

/** Verifies a WebAuthn signature over authData || clientDataHash with a COSE public key. */
export function verifySignature(
  publicKey: CborMap,
  authData: Uint8Array,
  clientDataHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = coseToPublicKey(publicKey);
  const data = concatBytes(authData, clientDataHash);
  return key.asymmetricKeyType === 'ed25519'
    ? verify(null, data, key, signature)
    : verify('sha256', data, key, signature);
}

export function neverTouch(): Promise<never> {
  return new Promise<never>(() => undefined);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A message read back from the device: its channel, command and payload, plus keepalive statuses seen first. */
export interface HidMessage {
  cid: number;
  cmd: number;
  payload: Uint8Array;
  keepalives: number[];
}

/** Drives a virtual key at the frame level, as an application with raw reports would. */
export class HidDriver {
  constructor(readonly conn: HidConnection) {}

  async writeFrames(frames: Uint8Array[]): Promise<void> {
    for (const frame of frames) await this.conn.write(frame);
  }

  async send(cid: number, cmd: number, payload: Uint8Array = new Uint8Array(0)): Promise<void> {
    await this.writeFrames(encodeFrames(cid, cmd, payload));
  }

  /** The next report, or undefined when none comes within `timeoutMs`. */
  async nextFrame(timeoutMs = 200): Promise<Uint8Array | undefined> {
    try {
      return await this.conn.read(timeoutMs);
    } catch {
      return undefined;
    }
  }

  /** The next whole message on `cid` (frames of other channels skipped), collecting keepalives on the way. */
  async receive(cid: number, timeoutMs = 1_000): Promise<HidMessage> {
    const deadline = Date.now() + timeoutMs;
    const keepalives: number[] = [];
    let assembler: MessageAssembler | undefined;
    while (true) {
      const frame = await this.nextFrame(Math.max(1, deadline - Date.now()));
      if (!frame) throw new Error(`no complete message on channel ${cid.toString(16)} within ${timeoutMs} ms`);
      if (readCid(frame) !== cid) continue;
      if (!assembler) {
        if (!isInitFrame(frame)) throw new Error('continuation frame before an initialization frame');
        if ((frame[4]! & 0x7f) === CtapHidCmd.KEEPALIVE) {
          keepalives.push(frame[7]!);
          continue;
        }
        assembler = new MessageAssembler(frame);
      } else {
        assembler.add(frame);
      }
      if (assembler.complete) return { cid, cmd: assembler.cmd, payload: assembler.payload, keepalives };
    }
  }

  /** CTAPHID_INIT on the broadcast channel; returns the allocated channel. */
  async init(nonce: Uint8Array = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)): Promise<number> {
    if (nonce.length !== INIT_NONCE_SIZE) throw new Error('nonce must be 8 bytes');
    await this.send(BROADCAST_CID, CtapHidCmd.INIT, nonce);
    while (true) {
      const answer = await this.receive(BROADCAST_CID);
      if (answer.cmd === CtapHidCmd.INIT && answer.payload.subarray(0, 8).every((b, i) => b === nonce[i])) {
        return readCid(answer.payload.subarray(8, 12));
      }
    }
  }

  /** Sends a CTAP2 request over CTAPHID_CBOR. */
  async sendCbor(cid: number, cmd: number, params?: ReadonlyMap<number, CborInput | undefined>): Promise<void> {
    const body = params ? encodeCbor(params) : new Uint8Array(0);
    await this.send(cid, CtapHidCmd.CBOR, concatBytes(Uint8Array.of(cmd), body));
  }
}
