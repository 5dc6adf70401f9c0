// The virtual key's fixed attestation certificate and key: signs U2F registrations and enterprise attestations.

import { createPrivateKey, type KeyObject } from 'node:crypto';

// A TEST key, not a secret: a P-256 key and a self-signed certificate (CA:FALSE, subject
// C=US, O=Latchkey, OU=Authenticator Attestation, CN=Latchkey Virtual Authenticator Attestation (test key)), generated
// once with `openssl ecparam -name prime256v1 -genkey` and `openssl req -x509 -days 36500`. node:crypto cannot make
// certificates, and U2F registration needs one; any verifier can check signatures against it, none should trust it.
const CERTIFICATE_DER_BASE64 =
  'MIICLDCCAdOgAwIBAgIETEtWMjAKBggqhkjOPQQDAjCBhDELMAkGA1UEBhMCVVMxETAPBgNVBAoMCExhdGNoa2V5MSIwIAYDVQQLDBlBdXRoZW50aWNh' +
  'dG9yIEF0dGVzdGF0aW9uMT4wPAYDVQQDDDVMYXRjaGtleSBWaXJ0dWFsIEF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24gKHRlc3Qga2V5KTAgFw0yNjEx' +
  'MjIwNTA1MTRaGA8yMTI2MTAyOTA1MDUxNFowgYQxCzAJBgNVBAYTAlVTMREwDwYDVQQKDAhMYXRjaGtleTEiMCAGA1UECwwZQXV0aGVudGljYXRvciBB' +
  'dHRlc3RhdGlvbjE+MDwGA1UEAww1TGF0Y2hrZXkgVmlydHVhbCBBdXRoZW50aWNhdG9yIEF0dGVzdGF0aW9uICh0ZXN0IGtleSkwWTATBgcqhkjOPQIB' +
  'BggqhkjOPQMBBwNCAAS5ZrkpJ+1OJfjwagVX2BTZ/s6s0AV3K0f61zQkbmjeKWlnlpm8T4OH0H4EkASwpm4vXr1j5jZFnJSBWolTEaj/oy8wLTAMBgNV' +
  'HRMBAf8EAjAAMB0GA1UdDgQWBBQbmVQQe8XALTTfUNPKbAoB1rpCODAKBggqhkjOPQQDAgNHADBEAiBc7WOr3A2DMhRcL9lg5RmLci9zAkVAHtmLeCKE' +
  'WcY14wIgV/6fmxenc5iyMoNeiktCQRXPgaCZ7nVFCWmZ6nS6rQc=';

const PRIVATE_KEY_PKCS8_BASE64 =
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPQA/XI/EnxOtv+0S1JJ7LMTH2E1ke39YBRjKaEqiB1uhRANCAAS5ZrkpJ+1OJfjwagVX' +
  '2BTZ/s6s0AV3K0f61zQkbmjeKWlnlpm8T4OH0H4EkASwpm4vXr1j5jZFnJSBWolTEaj/';

/** The attestation certificate, DER. */
export const ATTESTATION_CERTIFICATE: Uint8Array = new Uint8Array(Buffer.from(CERTIFICATE_DER_BASE64, 'base64'));

let attestationKey: KeyObject | undefined;

/** The certificate's private key (P-256). */
export function attestationPrivateKey(): KeyObject {
  attestationKey ??= createPrivateKey({
    key: Buffer.from(PRIVATE_KEY_PKCS8_BASE64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  return attestationKey;
}
