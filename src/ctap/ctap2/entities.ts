// WebAuthn entities as CTAP carries them (CTAP 2.2 section 6.1), and their canonical CBOR maps.

import type { CborInput } from '../cbor/encode.js';
import type { CborMap } from '../cbor/types.js';
import { ProtocolError } from '../errors.js';

export interface RelyingPartyEntity {
  id: string;
  name?: string;
  /** Deprecated since CTAP 2.1 but still in the spec's examples and accepted by keys. */
  icon?: string;
}

export interface UserEntity {
  id: Uint8Array;
  name?: string;
  displayName?: string;
  /** Deprecated since CTAP 2.1; see RelyingPartyEntity.icon. */
  icon?: string;
}

export interface CredentialDescriptor {
  type: 'public-key' | string;
  id: Uint8Array;
  transports?: string[];
}

export interface CredentialParameters {
  type: 'public-key' | string;
  alg: number;
}

/** Extension inputs or outputs, by extension identifier. */
export type ExtensionMap = ReadonlyMap<string, CborInput> | Readonly<Record<string, CborInput>>;

/** Descriptors go out with type and id only: some keys reject the optional transports member (libfido2 omits it too). */
export function descriptorToCbor(descriptor: CredentialDescriptor): CborInput {
  return { type: descriptor.type, id: descriptor.id };
}

export function rpToCbor(rp: RelyingPartyEntity): CborInput {
  return { id: rp.id, icon: rp.icon, name: rp.name };
}

export function userToCbor(user: UserEntity): CborInput {
  return { id: user.id, icon: user.icon, name: user.name, displayName: user.displayName };
}

export function parseDescriptor(value: unknown, where: string): CredentialDescriptor {
  if (!(value instanceof Map)) throw new ProtocolError(`${where} is not a map`);
  const id = value.get('id');
  const type = value.get('type');
  if (!(id instanceof Uint8Array)) throw new ProtocolError(`${where} "id" is not a byte string`);
  if (typeof type !== 'string') throw new ProtocolError(`${where} "type" is not a text string`);
  const out: CredentialDescriptor = { type, id };
  const transports = value.get('transports');
  if (Array.isArray(transports) && transports.every((t) => typeof t === 'string'))
    out.transports = transports as string[];
  return out;
}

export function parseUser(value: unknown, where: string): UserEntity {
  if (!(value instanceof Map)) throw new ProtocolError(`${where} is not a map`);
  const map = value as CborMap;
  const id = map.get('id');
  if (!(id instanceof Uint8Array)) throw new ProtocolError(`${where} "id" is not a byte string`);
  const user: UserEntity = { id };
  const name = map.get('name');
  const displayName = map.get('displayName');
  if (typeof name === 'string') user.name = name;
  if (typeof displayName === 'string') user.displayName = displayName;
  return user;
}
