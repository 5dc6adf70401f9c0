// getInfo in words for `latchkey info`: one aligned "label  value" line per member the key reported.

import { type AuthenticatorInfo, CoseAlgorithm, formatAaguid, toHex } from '../../ctap/index.js';
import type { DeviceInfo } from '../services/index.js';
import { cborJson } from './authenticatorInfoJson.js';

const ALGORITHM_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CoseAlgorithm).map(([name, alg]) => [alg, name]),
);

/** Bits of uvModality (FIDO Registry section 3.1, USER_VERIFY_*). */
const UV_MODALITIES: readonly [number, string][] = [
  [0x001, 'presence'],
  [0x002, 'fingerprint'],
  [0x004, 'passcode'],
  [0x008, 'voiceprint'],
  [0x010, 'faceprint'],
  [0x020, 'location'],
  [0x040, 'eyeprint'],
  [0x080, 'pattern'],
  [0x100, 'handprint'],
  [0x200, 'none'],
  [0x400, 'all'],
];

/** `info` undefined: a U2F-only key, which has no getInfo. */
export function formatAuthenticatorInfo(device: DeviceInfo, info: AuthenticatorInfo | undefined): string[] {
  const rows: [string, string][] = [
    ['Key', device.name],
    ['Id', device.id],
    ['Transport', device.reader ? `${device.transport} (reader "${device.reader}")` : device.transport],
  ];
  if (!info) {
    rows.push(['Versions', 'U2F_V2 (U2F only: no CTAP2, no PIN, no passkeys on the key)']);
    return align(rows);
  }
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') rows.push([label, value]);
  };
  const list = (values: readonly (string | number)[] | undefined): string | undefined => values?.join(', ');
  add('AAGUID', formatAaguid(info.aaguid) + (device.model ? ` (${device.model})` : ''));
  add('Versions', list(info.versions));
  add('Extensions', list(info.extensions) || 'none');
  add('Options', [...info.options].map(([name, on]) => `${name}=${on ? 'yes' : 'no'}`).join(' '));
  add('PIN', pinState(info));
  add('Max message size', `${info.maxMsgSize} bytes`);
  add('PIN/UV protocols', list(info.pinUvAuthProtocols));
  add('Max credentials in list', info.maxCredentialCountInList?.toString());
  add('Max credential ID length', info.maxCredentialIdLength?.toString());
  add('Transports', list(info.transports));
  add('Algorithms', info.algorithms?.map((a) => `${ALGORITHM_NAMES.get(a.alg) ?? a.type} (${a.alg})`).join(', '));
  add(
    'Max large blob array',
    info.maxSerializedLargeBlobArray === undefined ? undefined : `${info.maxSerializedLargeBlobArray} bytes`,
  );
  add('Force PIN change', info.forcePINChange === undefined ? undefined : yesNo(info.forcePINChange));
  add('Min PIN length', info.minPINLength?.toString());
  add('Max PIN length', info.maxPINLength?.toString());
  add(
    'Firmware version',
    info.firmwareVersion === undefined ? undefined : `${info.firmwareVersion} (0x${info.firmwareVersion.toString(16)})`,
  );
  add('Max credBlob length', info.maxCredBlobLength === undefined ? undefined : `${info.maxCredBlobLength} bytes`);
  add('Max RP IDs for minPINLength', info.maxRPIDsForSetMinPINLength?.toString());
  add('Preferred platform UV attempts', info.preferredPlatformUvAttempts?.toString());
  add('UV modality', info.uvModality === undefined ? undefined : uvModality(info.uvModality));
  add(
    'Certifications',
    info.certifications && [...info.certifications].map(([name, level]) => `${name} level ${level}`).join(', '),
  );
  add('Remaining passkey slots', info.remainingDiscoverableCredentials?.toString());
  add('Vendor config commands', list(info.vendorPrototypeConfigCommands));
  add('Attestation formats', list(info.attestationFormats));
  add('UV uses since PIN entry', info.uvCountSinceLastPinEntry?.toString());
  add('Long touch for reset', info.longTouchForReset === undefined ? undefined : yesNo(info.longTouchForReset));
  add('Transports for reset', list(info.transportsForReset));
  add('PIN complexity policy', info.pinComplexityPolicy === undefined ? undefined : yesNo(info.pinComplexityPolicy));
  add('Config commands', list(info.authenticatorConfigCommands));
  add('Encrypted identifier', info.encIdentifier && toHex(info.encIdentifier));
  for (const [key, value] of info.unknown) add(`Member ${String(key)}`, JSON.stringify(cborJson(value)));
  return align(rows);
}

/** clientPin absent: no PIN support; false: supported but not set; true: set. */
function pinState(info: AuthenticatorInfo): string {
  const clientPin = info.options.get('clientPin');
  if (clientPin === undefined) return 'not supported';
  return clientPin ? 'set' : 'not set';
}

function uvModality(bits: number): string {
  const names = UV_MODALITIES.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
  return `${names.join(', ') || 'none'} (0x${bits.toString(16)})`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function align(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`);
}
