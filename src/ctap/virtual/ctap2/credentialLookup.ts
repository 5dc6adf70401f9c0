// Finds the credential a credential ID names on this key for one RP: a stored discoverable one, or a wrapped non-discoverable ID.

import type { KeyObject } from 'node:crypto';
import { unwrapCredentialId } from '../credentialId.js';
import type { CredentialAlgorithm } from '../credentialKey.js';
import type { CredentialExtras, PersistentState, ResidentCredential } from '../state.js';

export interface FoundCredential extends CredentialExtras {
  id: Uint8Array;
  alg: CredentialAlgorithm;
  privateKey: KeyObject;
  /** Set for discoverable credentials, which carry a user. */
  resident?: ResidentCredential;
}

export function findCredential(
  state: PersistentState,
  rpId: string,
  rpIdHash: Uint8Array,
  id: Uint8Array,
): FoundCredential | undefined {
  const resident = state.findResident(rpId, id);
  if (resident) return fromResident(resident);
  const unwrapped = unwrapCredentialId(state.wrappingKey, rpIdHash, id);
  return unwrapped && { id, ...unwrapped };
}

export function fromResident(resident: ResidentCredential): FoundCredential {
  const found: FoundCredential = {
    id: resident.id,
    alg: resident.alg,
    privateKey: resident.privateKey,
    credProtect: resident.credProtect,
    hmacSecret: resident.hmacSecret,
    resident,
  };
  if (resident.credBlob !== undefined) found.credBlob = resident.credBlob;
  return found;
}
