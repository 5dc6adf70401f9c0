// authenticatorBioEnrollment on the virtual key (CTAP 2.2 section 6.7, and the FIDO_2_1_PRE 0x40 preview): a simulated fingerprint sensor.

import { randomBytes } from 'node:crypto';
import { concatBytes, equalBytes } from '../../bytes.js';
import type { CborInput } from '../../cbor/encode.js';
import type { CborMap } from '../../cbor/types.js';
import { BioEnrollment } from '../../ctap2/BioEnrollment.js';
import { ClientPin } from '../../ctap2/ClientPin.js';
import { CtapStatus } from '../../ctapStatus.js';
import { hasOption } from '../features.js';
import type { VirtualFingerprintSensor, VirtualProfile } from '../profiles.js';
import type { Fingerprint } from '../state.js';
import { CtapStatusError } from './CtapStatusError.js';
import {
  throwUnlessApproved,
  type CommandContext,
  type Ctap2CommandHandler,
  type PendingEnrollment,
} from './context.js';
import { optBool, optBytes, optMap, optUint, reencode, reqBytes, reqText } from './params.js';
import { verifyFeatureToken } from './pinUvAuth.js';

const { CMD, PARAM, SUB_PARAM, RESULT, TEMPLATE_INFO, MODALITY, FINGERPRINT_KIND, FEEDBACK } = BioEnrollment;

/** Two bytes, as YubiKey Bio template IDs are. */
const TEMPLATE_ID_SIZE = 2;

/** authenticatorBioEnrollment (0x09), for keys with the bioEnroll option. */
export const bioEnrollmentCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'bioEnroll') && profile.fingerprint !== undefined,
  run: (ctx, params) => bioEnrollment(ctx, params),
};

/** The FIDO_2_1_PRE preview (0x40), for keys with userVerificationMgmtPreview. */
export const bioEnrollmentPreviewCommand: Ctap2CommandHandler = {
  takesParameters: true,
  isAvailable: (profile) => hasOption(profile, 'userVerificationMgmtPreview') && profile.fingerprint !== undefined,
  run: (ctx, params) => bioEnrollment(ctx, params),
};

async function bioEnrollment(ctx: CommandContext, params: CborMap): Promise<CborInput | undefined> {
  if (optBool(params, PARAM.getModality) === true) return new Map([[RESULT.modality, MODALITY.fingerprint]]);
  const sensor = sensorOf(ctx.profile);
  const modality = optUint(params, PARAM.modality);
  const subCommand = optUint(params, PARAM.subCommand);
  if (modality === undefined || subCommand === undefined) {
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'modality and subCommand are required');
  }
  if (modality !== MODALITY.fingerprint)
    throw new CtapStatusError(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, `modality ${modality} is not supported`);
  const sub = optMap(params, PARAM.subCommandParams);
  const authorize = (): void => {
    const head = Uint8Array.of(modality, subCommand);
    verifyFeatureToken(ctx, {
      pinUvAuthProtocol: optUint(params, PARAM.pinUvAuthProtocol),
      pinUvAuthParam: optBytes(params, PARAM.pinUvAuthParam),
      message: sub ? concatBytes(head, reencode(sub)) : head,
      permission: ClientPin.PERMISSION.be,
    });
  };
  const { state, session } = ctx;

  switch (subCommand) {
    case CMD.getFingerprintSensorInfo:
      return new Map([
        [RESULT.modality, MODALITY.fingerprint],
        [RESULT.fingerprintKind, FINGERPRINT_KIND.touch],
        [RESULT.maxCaptureSamplesRequiredForEnroll, sensor.samplesPerEnrollment],
        [RESULT.maxTemplateFriendlyName, sensor.maxTemplateFriendlyName],
      ]);
    case CMD.enrollBegin: {
      authorize();
      if (state.fingerprints.length >= sensor.maxTemplates) {
        throw new CtapStatusError(
          CtapStatus.CTAP2_ERR_FP_DATABASE_FULL,
          `${sensor.maxTemplates} fingers are enrolled already`,
        );
      }
      // A new enrollBegin abandons an unfinished one.
      const enrollment: PendingEnrollment = {
        templateId: newTemplateId(state.fingerprints),
        remainingSamples: sensor.samplesPerEnrollment,
      };
      session.enrollment = enrollment;
      const sample = await captureSample(ctx, enrollment);
      return new Map([[RESULT.templateId, enrollment.templateId], ...sample]);
    }
    case CMD.enrollCaptureNextSample: {
      authorize();
      const enrollment = session.enrollment;
      const templateId = reqBytes(requireParams(sub), SUB_PARAM.templateId);
      if (!enrollment || !equalBytes(enrollment.templateId, templateId)) {
        throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'no enrollment of this template is under way');
      }
      return new Map(await captureSample(ctx, enrollment));
    }
    case CMD.cancelCurrentEnrollment:
      session.enrollment = undefined;
      return undefined;
    case CMD.enumerateEnrollments: {
      authorize();
      // Section 6.7.6: a sensor with nothing enrolled answers INVALID_OPTION.
      if (state.fingerprints.length === 0)
        throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'no finger is enrolled');
      const infos = state.fingerprints.map((fp) => {
        const info = new Map<number, CborInput>([[TEMPLATE_INFO.templateId, fp.id]]);
        if (fp.friendlyName !== undefined) info.set(TEMPLATE_INFO.templateFriendlyName, fp.friendlyName);
        return info;
      });
      return new Map([[RESULT.templateInfos, infos]]);
    }
    case CMD.setFriendlyName: {
      authorize();
      const named = requireParams(sub);
      const fingerprint = findTemplate(state.fingerprints, reqBytes(named, SUB_PARAM.templateId));
      const name = reqText(named, SUB_PARAM.templateFriendlyName);
      const size = Buffer.byteLength(name, 'utf8');
      if (size > sensor.maxTemplateFriendlyName) {
        throw new CtapStatusError(
          CtapStatus.CTAP1_ERR_INVALID_LENGTH,
          `friendly name of ${size} bytes, at most ${sensor.maxTemplateFriendlyName}`,
        );
      }
      fingerprint.friendlyName = name;
      return undefined;
    }
    case CMD.removeEnrollment: {
      authorize();
      const fingerprint = findTemplate(state.fingerprints, reqBytes(requireParams(sub), SUB_PARAM.templateId));
      state.fingerprints.splice(state.fingerprints.indexOf(fingerprint), 1);
      return undefined;
    }
  }
  throw new CtapStatusError(
    CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND,
    `bioEnrollment subcommand 0x${subCommand.toString(16)} is not supported`,
  );
}

/**
 * One touch of the sensor for an enrollment (sections 6.7.4, 6.7.5). The presence handler's finger is the finger on
 * the sensor: a good sample counts down remainingSamples, and the last one stores the template. A refusal is "no user
 * activity", a touch without a finger a poor-quality sample, a finger enrolled already FP_EXISTS, and a finger other
 * than the first sample's a merge failure; none of those count. A timeout or cancel ends the command with its status.
 */
async function captureSample(ctx: CommandContext, enrollment: PendingEnrollment): Promise<[number, CborInput][]> {
  const { outcome, finger } = await ctx.userPresence('bioEnrollment', undefined, 'enroll');
  let status: number = FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD;
  if (outcome === 'denied') status = FEEDBACK.CTAP2_ENROLL_FEEDBACK_NO_USER_ACTIVITY;
  else throwUnlessApproved(outcome);
  if (status === FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD) {
    if (finger === undefined) status = FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_POOR_QUALITY;
    else if (ctx.state.fingerprints.some((fp) => fp.finger === finger))
      status = FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_EXISTS;
    else if (enrollment.finger !== undefined && enrollment.finger !== finger)
      status = FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_MERGE_FAILURE;
  }
  if (status === FEEDBACK.CTAP2_ENROLL_FEEDBACK_FP_GOOD && finger !== undefined) {
    enrollment.finger = finger;
    enrollment.remainingSamples -= 1;
    if (enrollment.remainingSamples === 0) {
      ctx.state.fingerprints.push({ id: enrollment.templateId, finger });
      ctx.session.enrollment = undefined;
    }
  }
  return [
    [RESULT.lastEnrollSampleStatus, status],
    [RESULT.remainingSamples, enrollment.remainingSamples],
  ];
}

function sensorOf(profile: VirtualProfile): VirtualFingerprintSensor {
  // isAvailable let only profiles with a sensor through.
  return profile.fingerprint!;
}

function requireParams(sub: CborMap | undefined): CborMap {
  if (!sub) throw new CtapStatusError(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, 'subCommandParams are missing');
  return sub;
}

function findTemplate(fingerprints: readonly Fingerprint[], templateId: Uint8Array): Fingerprint {
  const found = fingerprints.find((fp) => equalBytes(fp.id, templateId));
  if (!found) throw new CtapStatusError(CtapStatus.CTAP2_ERR_INVALID_OPTION, 'no template has this ID');
  return found;
}

function newTemplateId(fingerprints: readonly Fingerprint[]): Uint8Array {
  while (true) {
    const id = new Uint8Array(randomBytes(TEMPLATE_ID_SIZE));
    if (!fingerprints.some((fp) => equalBytes(fp.id, id))) return id;
  }
}
