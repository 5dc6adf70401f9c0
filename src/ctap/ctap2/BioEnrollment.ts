// authenticatorBioEnrollment (CTAP 2.1 section 6.7), client side: fingerprint enrollment with per-sample feedback, listing, renaming and removal.

import { encodeCbor, type CborInput } from '../cbor/encode.js';
import { isMap, optArrayOf, optText, optUint, reqBytes, reqUint } from '../cbor/fields.js';
import type { CborMap } from '../cbor/types.js';
import { concatBytes } from '../bytes.js';
import { ClientError, CtapError, ProtocolError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { PinUvAuthToken } from './ClientPin.js';
import { Ctap2Cmd } from './constants.js';
import { requireToken, type FeatureCtap2 } from './featureAuth.js';
import { CtapStatus } from '../ctapStatus.js';

const WHERE = 'bioEnrollment response';

/** The part of getInfo BioEnrollment reads. */
export interface BioEnrollmentInfo {
  readonly versions: readonly string[];
  readonly options: ReadonlyMap<string, boolean>;
}

/** getFingerprintSensorInfo. */
export interface FingerprintSensorInfo {
  /** BioEnrollment.FINGERPRINT_KIND: 1 touch, 2 swipe. */
  fingerprintKind: number;
  /** How many good samples an enrollment needs at most. */
  maxCaptureSamplesRequiredForEnroll: number;
  /** The longest templateFriendlyName in bytes the key accepts, when it says. */
  maxTemplateFriendlyName?: number;
}

/** What the key said about one captured sample. */
export interface EnrollmentSample {
  /** A BioEnrollment.FEEDBACK code; {@link BioEnrollment.feedbackName} names it. */
  lastSampleStatus: number;
  /** Good samples still needed; 0 means the enrollment is complete. */
  remainingSamples: number;
}

/** enrollBegin's answer: the new template's id and the first sample. */
export interface EnrollmentStart extends EnrollmentSample {
  templateId: Uint8Array;
}

/** One enrolled fingerprint. */
export interface TemplateInfo {
  templateId: Uint8Array;
  friendlyName?: string;
}

/** Options of enrollBegin and enrollCaptureNextSample. */
export interface CaptureOptions extends CallOptions {
  /**
   * How long the key waits for a finger, sent as timeoutMilliseconds. Distinct from `timeoutMs`, which is how long this
   * client waits between keepalives.
   * @default the key's own timeout
   */
  sampleTimeoutMs?: number;
}

/** Options of {@link BioEnrollment.enroll}. */
export interface EnrollOptions extends CaptureOptions {
  /** Called after every sample with the key's feedback, so the UI can say "lift and touch again" or "too fast". */
  onSample?: (sample: EnrollmentSample) => void;
}

export class BioEnrollment {
  /** Section 6.7: authenticatorBioEnrollment subCommand values (fingerprint modality). */
  static readonly CMD = {
    enrollBegin: 0x01,
    enrollCaptureNextSample: 0x02,
    cancelCurrentEnrollment: 0x03,
    enumerateEnrollments: 0x04,
    setFriendlyName: 0x05,
    removeEnrollment: 0x06,
    getFingerprintSensorInfo: 0x07,
  } as const;

  /** Section 6.7: authenticatorBioEnrollment request parameter keys. */
  static readonly PARAM = {
    modality: 0x01,
    subCommand: 0x02,
    subCommandParams: 0x03,
    pinUvAuthProtocol: 0x04,
    pinUvAuthParam: 0x05,
    getModality: 0x06,
  } as const;

  /** Section 6.7: subCommandParams keys. */
  static readonly SUB_PARAM = {
    templateId: 0x01,
    templateFriendlyName: 0x02,
    timeoutMilliseconds: 0x03,
  } as const;

  /** Section 6.7: authenticatorBioEnrollment response keys. */
  static readonly RESULT = {
    modality: 0x01,
    fingerprintKind: 0x02,
    maxCaptureSamplesRequiredForEnroll: 0x03,
    templateId: 0x04,
    lastEnrollSampleStatus: 0x05,
    remainingSamples: 0x06,
    templateInfos: 0x07,
    maxTemplateFriendlyName: 0x08,
  } as const;

  /** Section 6.7: templateInfo keys. */
  static readonly TEMPLATE_INFO = {
    templateId: 0x01,
    templateFriendlyName: 0x02,
  } as const;

  /** Section 6.7: modality values. */
  static readonly MODALITY = { fingerprint: 0x01 } as const;

  /** Section 6.7.1: fingerprintKind values. */
  static readonly FINGERPRINT_KIND = { touch: 0x01, swipe: 0x02 } as const;

  /** Section 6.7.1: lastEnrollSampleStatus values (0x0c is unassigned). */
  static readonly FEEDBACK = {
    CTAP2_ENROLL_FEEDBACK_FP_GOOD: 0x00,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_HIGH: 0x01,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_LOW: 0x02,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_LEFT: 0x03,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_RIGHT: 0x04,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_FAST: 0x05,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_SLOW: 0x06,
    CTAP2_ENROLL_FEEDBACK_FP_POOR_QUALITY: 0x07,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_SKEWED: 0x08,
    CTAP2_ENROLL_FEEDBACK_FP_TOO_SHORT: 0x09,
    CTAP2_ENROLL_FEEDBACK_FP_MERGE_FAILURE: 0x0a,
    CTAP2_ENROLL_FEEDBACK_FP_EXISTS: 0x0b,
    CTAP2_ENROLL_FEEDBACK_NO_USER_ACTIVITY: 0x0d,
    CTAP2_ENROLL_FEEDBACK_NO_USER_PRESENCE_TRANSITION: 0x0e,
  } as const;

  /** The spec name of a lastEnrollSampleStatus; unknown codes keep their number. */
  static feedbackName(status: number): string {
    const entry = Object.entries(BioEnrollment.FEEDBACK).find(([, code]) => code === status);
    return entry?.[0] ?? `unknown sample status 0x${status.toString(16).padStart(2, '0')}`;
  }

  /** Whether the key enrolls biometrics: `bioEnroll` (CTAP 2.1) or the FIDO_2_1_PRE `userVerificationMgmtPreview`. */
  static isSupported(info: BioEnrollmentInfo): boolean {
    // bioEnroll false means "supported, nothing enrolled yet"; only its absence means no support.
    return (
      info.options.has('bioEnroll') ||
      (info.versions.includes('FIDO_2_1_PRE') && info.options.has('userVerificationMgmtPreview'))
    );
  }

  /** The command byte in use: 0x09, or 0x40 on keys that only speak the FIDO_2_1_PRE preview. */
  readonly command: number;
  readonly #ctap2: FeatureCtap2<BioEnrollmentInfo>;
  readonly #token: PinUvAuthToken | undefined;

  /**
   * @param token a token with the `be` permission (ClientPin.PERMISSION.be); getModality, getFingerprintSensorInfo and
   *   cancelEnrollment work without one
   */
  constructor(ctap2: FeatureCtap2<BioEnrollmentInfo>, token?: PinUvAuthToken) {
    if (!BioEnrollment.isSupported(ctap2.info)) {
      throw new ClientError('device-not-supported', 'This key has no fingerprint enrollment (no bioEnroll option).');
    }
    this.#ctap2 = ctap2;
    this.#token = token;
    this.command = ctap2.info.options.has('bioEnroll') ? Ctap2Cmd.BIO_ENROLLMENT : Ctap2Cmd.BIO_ENROLLMENT_PRE;
  }

  /** getModality: the kind of biometric (BioEnrollment.MODALITY). */
  async getModality(options: CallOptions = {}): Promise<number> {
    const response = await this.#ctap2.send(this.command, new Map([[BioEnrollment.PARAM.getModality, true]]), options);
    return reqUint(response, BioEnrollment.RESULT.modality, WHERE);
  }

  /** getFingerprintSensorInfo (0x07). */
  async getFingerprintSensorInfo(options: CallOptions = {}): Promise<FingerprintSensorInfo> {
    const response = await this.#call(BioEnrollment.CMD.getFingerprintSensorInfo, undefined, false, options);
    const info: FingerprintSensorInfo = {
      fingerprintKind: reqUint(response, BioEnrollment.RESULT.fingerprintKind, WHERE),
      maxCaptureSamplesRequiredForEnroll: reqUint(
        response,
        BioEnrollment.RESULT.maxCaptureSamplesRequiredForEnroll,
        WHERE,
      ),
    };
    const maxName = optUint(response, BioEnrollment.RESULT.maxTemplateFriendlyName, WHERE);
    if (maxName !== undefined) info.maxTemplateFriendlyName = maxName;
    return info;
  }

  /** enrollBegin (0x01): starts a new template and waits for the first touch. */
  async enrollBegin(options: CaptureOptions = {}): Promise<EnrollmentStart> {
    const params = new Map<number, CborInput | undefined>([
      [BioEnrollment.SUB_PARAM.timeoutMilliseconds, sampleTimeout(options)],
    ]);
    const response = await this.#call(BioEnrollment.CMD.enrollBegin, params, true, options);
    const templateId = reqBytes(response, BioEnrollment.RESULT.templateId, WHERE);
    if (templateId.length === 0) throw new ProtocolError(`${WHERE} field 0x04 (templateId) is empty`);
    return { templateId, ...parseSample(response) };
  }

  /** enrollCaptureNextSample (0x02): waits for the next touch of the template enrollBegin started. */
  async enrollCaptureNextSample(templateId: Uint8Array, options: CaptureOptions = {}): Promise<EnrollmentSample> {
    const params = new Map<number, CborInput | undefined>([
      [BioEnrollment.SUB_PARAM.templateId, checkTemplateId(templateId)],
      [BioEnrollment.SUB_PARAM.timeoutMilliseconds, sampleTimeout(options)],
    ]);
    return parseSample(await this.#call(BioEnrollment.CMD.enrollCaptureNextSample, params, true, options));
  }

  /** cancelCurrentEnrollment (0x03): drops an unfinished template. */
  async cancelEnrollment(options: CallOptions = {}): Promise<void> {
    await this.#call(BioEnrollment.CMD.cancelCurrentEnrollment, undefined, false, options);
  }

  /**
   * A whole enrollment: enrollBegin, then enrollCaptureNextSample until no samples remain, reporting each sample. On
   * any failure (including an abort) the unfinished template is cancelled before the error is rethrown.
   * @returns the new template's id
   */
  async enroll(options: EnrollOptions = {}): Promise<Uint8Array> {
    let started = false;
    try {
      const first = await this.enrollBegin(options);
      started = true;
      options.onSample?.({ lastSampleStatus: first.lastSampleStatus, remainingSamples: first.remainingSamples });
      let remaining = first.remainingSamples;
      while (remaining > 0) {
        const sample = await this.enrollCaptureNextSample(first.templateId, options);
        options.onSample?.(sample);
        remaining = sample.remainingSamples;
      }
      return first.templateId;
    } catch (error) {
      // The key keeps an unfinished template until cancelled; a key that already gave up answers an error we ignore.
      if (started) await this.cancelEnrollment({ timeoutMs: options.timeoutMs }).catch(() => undefined);
      throw error;
    }
  }

  /** enumerateEnrollments (0x04): the enrolled fingerprints; none when the key answers INVALID_OPTION (its way of saying so). */
  async enumerateEnrollments(options: CallOptions = {}): Promise<TemplateInfo[]> {
    let response: CborMap;
    try {
      response = await this.#call(BioEnrollment.CMD.enumerateEnrollments, undefined, true, options);
    } catch (error) {
      if (error instanceof CtapError && error.status === CtapStatus.CTAP2_ERR_INVALID_OPTION) return [];
      throw error;
    }
    const infos = optArrayOf(response, BioEnrollment.RESULT.templateInfos, WHERE, isMap, 'a templateInfo map') ?? [];
    return infos.map((item, i) => {
      const where = `${WHERE} field 0x07 (templateInfos) item ${i}`;
      const templateId = reqBytes(item, BioEnrollment.TEMPLATE_INFO.templateId, where);
      const friendlyName = optText(item, BioEnrollment.TEMPLATE_INFO.templateFriendlyName, where);
      return friendlyName === undefined ? { templateId } : { templateId, friendlyName };
    });
  }

  /** setFriendlyName (0x05). */
  async setFriendlyName(templateId: Uint8Array, friendlyName: string, options: CallOptions = {}): Promise<void> {
    if (typeof friendlyName !== 'string' || friendlyName.length === 0) {
      throw new ClientError('bad-request', 'A fingerprint name must be a non-empty string.');
    }
    const params = new Map<number, CborInput>([
      [BioEnrollment.SUB_PARAM.templateId, checkTemplateId(templateId)],
      [BioEnrollment.SUB_PARAM.templateFriendlyName, friendlyName],
    ]);
    await this.#call(BioEnrollment.CMD.setFriendlyName, params, true, options);
  }

  /** removeEnrollment (0x06). */
  async removeEnrollment(templateId: Uint8Array, options: CallOptions = {}): Promise<void> {
    const params = new Map<number, CborInput>([[BioEnrollment.SUB_PARAM.templateId, checkTemplateId(templateId)]]);
    await this.#call(BioEnrollment.CMD.removeEnrollment, params, true, options);
  }

  /** Sends one subcommand; authenticated ones carry pinUvAuthParam = authenticate(token, modality || subCommand || subCommandParams). */
  async #call(
    subCommand: number,
    params: ReadonlyMap<number, CborInput | undefined> | undefined,
    authenticated: boolean,
    options: CallOptions,
  ): Promise<CborMap> {
    // Absent optional parameters are left out of the map and so of the MAC (encodeCbor drops undefined values).
    const present = params !== undefined && [...params.values()].some((v) => v !== undefined) ? params : undefined;
    const modality = BioEnrollment.MODALITY.fingerprint;
    const request = new Map<number, CborInput | undefined>([
      [BioEnrollment.PARAM.modality, modality],
      [BioEnrollment.PARAM.subCommand, subCommand],
      [BioEnrollment.PARAM.subCommandParams, present],
    ]);
    if (authenticated) {
      const token = requireToken(this.#token, 'Managing fingerprints');
      const head = Uint8Array.of(modality, subCommand);
      const message = present === undefined ? head : concatBytes(head, encodeCbor(present));
      request.set(BioEnrollment.PARAM.pinUvAuthProtocol, token.protocol.version);
      request.set(BioEnrollment.PARAM.pinUvAuthParam, token.authenticate(message));
    }
    return this.#ctap2.send(this.command, request, options);
  }
}

function parseSample(response: CborMap): EnrollmentSample {
  return {
    lastSampleStatus: reqUint(response, BioEnrollment.RESULT.lastEnrollSampleStatus, WHERE),
    remainingSamples: reqUint(response, BioEnrollment.RESULT.remainingSamples, WHERE),
  };
}

function checkTemplateId(templateId: Uint8Array): Uint8Array {
  if (!(templateId instanceof Uint8Array) || templateId.length === 0) {
    throw new ClientError('bad-request', 'A fingerprint template id is a non-empty byte string.');
  }
  return templateId;
}

function sampleTimeout(options: CaptureOptions): number | undefined {
  const { sampleTimeoutMs } = options;
  if (sampleTimeoutMs !== undefined && (!Number.isSafeInteger(sampleTimeoutMs) || sampleTimeoutMs <= 0)) {
    throw new ClientError(
      'bad-request',
      `sampleTimeoutMs must be a positive whole number of milliseconds, got ${sampleTimeoutMs}.`,
    );
  }
  return sampleTimeoutMs;
}
