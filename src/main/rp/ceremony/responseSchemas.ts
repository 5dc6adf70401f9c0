// zod schemas for the WebAuthn JSON a client hands in (RegistrationResponseJSON, AuthenticationResponseJSON, L3 section 5.1).

import { z } from 'zod';
import { base64urlBytes } from '../../store/encodedFields.js';

const clientExtensionResults = z.looseObject({
  credProps: z.looseObject({ rk: z.boolean().optional() }).optional(),
  hmacCreateSecret: z.boolean().optional(),
  prf: z.looseObject({ enabled: z.boolean().optional() }).optional(),
});

export const registrationResponseSchema = z.looseObject({
  id: base64urlBytes,
  rawId: base64urlBytes,
  type: z.string(),
  response: z.looseObject({
    clientDataJSON: base64urlBytes,
    attestationObject: base64urlBytes,
    transports: z.array(z.string()).optional(),
  }),
  authenticatorAttachment: z.string().optional(),
  clientExtensionResults: clientExtensionResults.default({}),
});

export const authenticationResponseSchema = z.looseObject({
  id: base64urlBytes,
  rawId: base64urlBytes,
  type: z.string(),
  response: z.looseObject({
    clientDataJSON: base64urlBytes,
    authenticatorData: base64urlBytes,
    signature: base64urlBytes,
    userHandle: base64urlBytes.optional(),
  }),
  authenticatorAttachment: z.string().optional(),
  clientExtensionResults: clientExtensionResults.default({}),
});

export type RegistrationResponseInput = z.infer<typeof registrationResponseSchema>;
export type AuthenticationResponseInput = z.infer<typeof authenticationResponseSchema>;
