// The RP ID check of WebAuthn Level 3 (sections 5.1.3 and 5.1.4): the RP ID must be the origin's host or a registrable suffix of it.

import { isIP } from 'node:net';
import { ClientError } from '../errors.js';

/** A parsed origin the client may act for. */
export interface CheckedOrigin {
  /** The serialized origin, exactly as clientDataJSON carries it. */
  origin: string;
  /** Its host (lower case, IDNA-encoded), the "effective domain". */
  host: string;
}

/**
 * Parses `origin` and refuses what WebAuthn would not run in: not a serialized origin (a path, a trailing slash,
 * upper case), or not a secure context (http:// is only allowed for localhost and *.localhost).
 */
export function checkOrigin(origin: string): CheckedOrigin {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ClientError('bad-request', `The origin "${origin}" is not a URL.`);
  }
  if (url.origin !== origin) {
    throw new ClientError(
      'bad-request',
      `The origin "${origin}" is not a serialized origin (scheme://host[:port]); expected "${url.origin}".`,
    );
  }
  const host = url.hostname;
  const localhost = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && localhost)) {
    throw new ClientError(
      'bad-request',
      `The origin "${origin}" is not secure: WebAuthn needs https (http only for localhost).`,
    );
  }
  return { origin, host };
}

/** The default public-suffix test without a Public Suffix List: any single-label name other than "localhost". */
export function isSingleLabelSuffix(domain: string): boolean {
  return !domain.includes('.') && domain !== 'localhost';
}

/**
 * Refuses (ClientError 'bad-request', naming both) an RP ID that is neither the origin's host nor a registrable domain
 * suffix of it (HTML "is a registrable domain suffix of or is equal to"). IP-address hosts only match themselves.
 */
export function checkRpId(rpId: string, origin: CheckedOrigin, isPublicSuffix: (domain: string) => boolean): void {
  const refuse = (why: string): never => {
    throw new ClientError('bad-request', `The RP ID "${rpId}" is not valid for the origin "${origin.origin}": ${why}.`);
  };
  if (typeof rpId !== 'string' || rpId.length === 0) refuse('it is empty');
  let canonical: string;
  try {
    canonical = new URL(`https://${rpId}`).hostname;
  } catch {
    return refuse('it is not a domain name');
  }
  // A valid domain string is its own canonical form: upper case, ports, paths and trailing dots all fail here.
  if (canonical !== rpId) refuse(`it is not a canonical domain name (expected "${canonical}")`);
  if (rpId === origin.host) return;
  if (isIP(origin.host.replace(/^\[|\]$/g, '')) !== 0)
    refuse(`the origin's host "${origin.host}" is an IP address, which only matches itself`);
  if (!origin.host.endsWith(`.${rpId}`)) refuse(`it is not the origin's host "${origin.host}" nor a suffix of it`);
  if (isPublicSuffix(rpId)) refuse('it is a public suffix');
}
