// authenticatorCredentialManagement on the virtual key (CTAP 2.2 section 6.8, and the FIDO_2_1_PRE 0x41 preview): the stored passkeys, listed, renamed and deleted.

import { createPublicKey } from 'node:crypto';
import { concatBytes, equalBytes } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { publicKeyToCose } from '../../cose/coseKey.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { CredentialManagement } from '../../ctap2/CredentialManagement.js';
import { CtapStatus } from '../../ctapStatus.js';
import { rpIdHash } from '../authenticatorData.js';
import { hasOption } from '../features.js';
import type { ResidentCredential } from '../state.js';
import { CtapStatusError } from './CtapStatusError.js';
import { type CommandContext, type Ctap2CommandHandler } from './context.js';
import { optBytes, optMap, optUint, readUser, reencode, reqBytes, reqMap, reqText, reqUint } from './params.js';
import { verifyFeatureToken } from './pinUvAuth.js';

const { CMD, PARAM, SUB_PARAM, RESULT } = CredentialManagement;

/** authenticatorCredentialManagement (0x0a), for keys with the credMgmt option. */
export const credentialManagementCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'credMgmt'),
  run: (ctx, params) => credentialManagement(ctx, params, false),
};

/** The FIDO_2_1_PRE preview (0x41): the same subcommands but updateUserInformation, for keys with credentialMgmtPreview. */
export const credentialManagementPreviewCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'credentialMgmtPreview'),
  run: (ctx, params) => credentialManagement(ctx, params, true),
};

async function credentialManagement(
  ctx: CommandContext,
  params: CborMap,
  preview: boolean,
): Promise<CborInput | undefined> {
  const subCommand = reqUint(params, PARAM.subCommand);
  const subCommandParams = optMap(params, PARAM.subCommandParams);
  // An enumeration continues only with the directly following getNext subcommand (section 6.8.3, 6.8.5).
  const enumeration = ctx.session.enumeration;
  ctx.session.enumeration = undefined;
  const authorize = (rpIdCheck: RpIdCheck): void => {
    const message = subCommandParams
      ? concatBytes(Uint8Array.of(subCommand), reencode(subCommandParams))
      : Uint8Array.of(subCommand);
    verifyFeatureToken(ctx, {
      pinUvAuthProtocol: optUint(params, PARAM.pinUvAuthProtocol),
      pinUvAuthParam: optBytes(params, PARAM.pinUvAuthParam),
      message,
      permission: ClientPin.PERMISSION.cm,
    });
    checkTokenRpId(ctx, rpIdCheck);
  };

  switch (subCommand) {
    case CMD.getCredsMetadata: {
      authorize({ kind: 'none' });
      const count = ctx.state.residentCount;
      return new Map([
        [RESULT.existingResidentCredentialsCount, count],
        [
          RESULT.maxPossibleRemainingResidentCredentialsCount,
          Math.max(0, ctx.profile.maxDiscoverableCredentials - count),
        ],
      ]);
    }
    case CMD.enumerateRPsBegin: {
      authorize({ kind: 'none' });
      const answers = relyingParties(ctx.state.allResidents).map((c) => {
        const rp: Record<string, CborInput> = { id: c.rpId };
        if (c.rpName !== undefined) rp.name = c.rpName;
        return new Map<number, CborInput>([
          [RESULT.rp, rp],
          [RESULT.rpIDHash, c.rpIdHash],
        ]);
      });
      return begin(ctx, 'rps', answers, RESULT.totalRPs);
    }
    case CMD.enumerateRPsGetNextRP:
      return next(ctx, enumeration, 'rps');
    case CMD.enumerateCredentialsBegin: {
      const wanted = reqBytes(requireParams(subCommandParams), SUB_PARAM.rpIDHash);
      authorize({ kind: 'rpIdHash', rpIdHash: wanted });
      const credentials = ctx.state.allResidents.filter((c) => equalBytes(c.rpIdHash, wanted)).reverse();
      return begin(ctx, 'credentials', credentials.map(describeCredential), RESULT.totalCredentials);
    }
    case CMD.enumerateCredentialsGetNextCredential:
      return next(ctx, enumeration, 'credentials');
    case CMD.deleteCredential: {
      const credential = findByDescriptor(ctx, requireParams(subCommandParams));
      authorize({ kind: 'rpIdHash', rpIdHash: credential.rpIdHash });
      ctx.state.deleteResident(credential);
      return undefined;
    }
    case CMD.updateUserInformation: {
      if (preview) break;
      const sub = requireParams(subCommandParams);
      const credential = findByDescriptor(ctx, sub);
      const user = readUser(reqMap(sub, SUB_PARAM.user));
      authorize({ kind: 'rpIdHash', rpIdHash: credential.rpIdHash });
      if (!equalBytes(user.id, credential.user.id)) {
        throw new CtapStatusError(
          CtapStatus.CTAP1_ERR_INVALID_PARAMETER,
          'user.id differs from the credential\u2019s user handle',
        );
      }
      // Section 6.8.7: the stored name and displayName are replaced; absent or empty ones are removed.
      const updated: ResidentCredential['user'] = { id: credential.user.id };
      if (user.name) updated.name = user.name;
      if (user.displayName) updated.displayName = user.displayName;
      credential.user = updated;
      return undefined;
    }
  }
  throw new CtapStatusError(
    CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND,
    `credentialManagement subcommand 0x${subCommand.toString(16)} is not supported`,
  );
}

type RpIdCheck = { kind: 'none' } | { kind: 'rpIdHash'; rpIdHash: Uint8Array };

/**
 * A token bound to an RP may only touch that RP's credentials; the key-wide subcommands (metadata, the RP list) need a
 * token bound to none (section 6.8.2 step 4).
 */
function checkTokenRpId(ctx: CommandContext, check: RpIdCheck): void {
  const bound = ctx.session.pinUvAuth.rpId;
  if (bound === undefined) return;
  if (check.kind === 'none')
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, `the token is bound to ${bound}`);
  if (!equalBytes(rpIdHash(bound), check.rpIdHash)) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, `the token is bound to ${bound}, not to this RP`);
  }
}

function requireParams(subCommandParams: CborMap | undefined): CborMap {
  if (!subCommandParams)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'subCommandParams are missing');
  return subCommandParams;
}

function findByDescriptor(ctx: CommandContext, sub: CborMap): ResidentCredential {
  const descriptor = reqMap(sub, SUB_PARAM.credentialID);
  reqText(descriptor, 'type');
  const credential = ctx.state.findResidentById(reqBytes(descriptor, 'id'));
  if (!credential)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_NO_CREDENTIALS, 'no discoverable credential has this ID');
  return credential;
}

/** One credential per RP, in the order the RPs first got one. */
function relyingParties(residents: readonly ResidentCredential[]): ResidentCredential[] {
  const seen = new Set<string>();
  return residents.filter((c) => !seen.has(c.rpId) && seen.add(c.rpId));
}

function describeCredential(credential: ResidentCredential): Map<number, CborInput> {
  const user: Record<string, CborInput> = { id: credential.user.id };
  if (credential.user.name !== undefined) user.name = credential.user.name;
  if (credential.user.displayName !== undefined) user.displayName = credential.user.displayName;
  const answer = new Map<number, CborInput>([
    [RESULT.user, user],
    [RESULT.credentialID, { id: credential.id, type: 'public-key' }],
    [RESULT.publicKey, publicKeyToCose(createPublicKey(credential.privateKey), credential.alg)],
    [RESULT.credProtect, credential.credProtect],
  ]);
  if (credential.largeBlobKey) answer.set(RESULT.largeBlobKey, credential.largeBlobKey.slice());
  return answer;
}

/** The first answer with the total; the rest wait for getNext. No entries at all is CTAP2_ERR_NO_CREDENTIALS. */
function begin(
  ctx: CommandContext,
  kind: 'rps' | 'credentials',
  answers: Map<number, CborInput>[],
  totalKey: number,
): CborInput {
  const [first, ...rest] = answers;
  if (!first) throw new CtapStatusError(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  first.set(totalKey, answers.length);
  if (rest.length > 0) ctx.session.enumeration = { kind, remaining: rest };
  return first;
}

function next(
  ctx: CommandContext,
  enumeration: CommandContext['session']['enumeration'],
  kind: 'rps' | 'credentials',
): CborInput {
  const answer = enumeration?.kind === kind ? enumeration.remaining.shift() : undefined;
  if (answer === undefined)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_NOT_ALLOWED, `no ${kind} enumeration to continue`);
  if (enumeration && enumeration.remaining.length > 0) ctx.session.enumeration = enumeration;
  return answer;
}
