// Reads a plain 2FAS backup (`schemaVersion` + `services`), its groups included.

import { quoteForMessage } from '../../../text/quoteForMessage.js';
import { entrySource, ImportCollector } from './ImportCollector.js';
import { ImportError } from './ImportError.js';
import type { ParsedImport } from './importTypes.js';
import { isJsonObject, jsonKind, objectAt, textAt, type JsonObject } from './jsonValues.js';

/** 2FAS's tokenType values; an absent one is TOTP (backups from before HOTP support). */
const TYPES: Readonly<Record<string, string>> = { TOTP: 'totp', HOTP: 'hotp', STEAM: 'steamtotp' };

export function isTwoFasBackup(root: JsonObject): boolean {
  return typeof root.schemaVersion === 'number' && ('services' in root || 'servicesEncrypted' in root);
}

/**
 * `{"schemaVersion": 4, "services": [{"name", "secret", "otp": {"account", "issuer", "digits", "period", "algorithm",
 * "counter", "tokenType"}, "groupId"}], "groups": [{"id", "name"}]}`. The service is the name 2FAS shows; 2FAS icons
 * are references to its own icon collection, not images, so none is carried over. A backup encrypted with a password
 * (`servicesEncrypted`) is refused: 2FAS can export it again without one.
 */
export function readTwoFas(root: JsonObject): ParsedImport {
  if ('servicesEncrypted' in root)
    throw new ImportError(
      'unsupported',
      'the 2FAS backup is encrypted with a password, which Latchkey does not read: export it again from 2FAS without a password',
    );
  if (!Array.isArray(root.services))
    throw new ImportError('damaged', `the 2FAS backup's services is ${jsonKind(root.services)}, expected an array`);
  const groups = new Map<string, string>();
  if (Array.isArray(root.groups))
    for (const group of root.groups)
      if (isJsonObject(group) && typeof group.id === 'string' && typeof group.name === 'string')
        groups.set(group.id, group.name);
  const collector = new ImportCollector();
  root.services.forEach((service: unknown, i) => {
    if (!isJsonObject(service)) {
      collector.refuse(`entry ${i + 1}`, `the service is ${jsonKind(service)}, expected an object`);
      return;
    }
    const otp = objectAt(service, 'otp');
    const source = entrySource(i + 1, service.name);
    const tokenType = textAt(otp, 'tokenType') ?? 'TOTP';
    const type = TYPES[tokenType.toUpperCase()];
    if (type === undefined) {
      collector.refuse(source, `the tokenType ${quoteForMessage(tokenType)} is not TOTP, HOTP or STEAM`);
      return;
    }
    const group = typeof service.groupId === 'string' ? groups.get(service.groupId) : undefined;
    collector.add(
      source,
      {
        otp_type: type,
        service: service.name,
        account: otp.account ?? '',
        secret: service.secret,
        digits: otp.digits,
        algorithm: otp.algorithm,
        period: type === 'hotp' ? undefined : otp.period,
        counter: type === 'hotp' ? otp.counter : undefined,
      },
      { groups: group === undefined ? [] : [group] },
    );
  });
  return collector.result('2fas');
}
