// Parses a WebAuthn response from `unknown` with its zod schema and the checks every response shares (id, rawId, type).

import type { z } from 'zod';
import { RelyingPartyError } from '../RelyingPartyError.js';

export function parseResponse<S extends z.ZodType<{ id: string; rawId: string; type: string }>>(
  schema: S,
  input: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length ? issue.path.join('.') : '(the response)';
    throw new RelyingPartyError('response-malformed', `the ${what} response is malformed at ${path}: ${issue.message}`);
  }
  const response = parsed.data;
  if (response.id !== response.rawId) {
    throw new RelyingPartyError(
      'response-malformed',
      `the ${what} response has id "${response.id}" but rawId "${response.rawId}"; they must be the same credential ID`,
    );
  }
  if (response.type !== 'public-key') {
    throw new RelyingPartyError(
      'response-malformed',
      `the ${what} response has credential type "${response.type}", expected "public-key"`,
    );
  }
  return response;
}
