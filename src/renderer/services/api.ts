// The one module that talks to the main process: every store calls through here, no view calls the API directly.

import type { AnswerOf, Channel, ErrorView, EventName, EventOf, RequestOf } from '../../ipc/contract';
import { i18n } from '../i18n/index';

/**
 * The main process words its refusals in English, naming exactly what was wrong. In another language the refusal's
 * code gives the sentence from the message files (errors.json), less precise but in the person's language; a code
 * without one keeps the English sentence.
 */
function localMessage(error: ErrorView): string {
  const { locale, te, t } = i18n.global;
  const key = `errors.${error.code}`;
  return locale.value !== 'en' && te(key, locale.value) ? t(key) : error.message;
}

/** A refusal from the main process: `code` for the program, `message` (one sentence) for the person. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly field: string | undefined;

  constructor(error: ErrorView) {
    super(localMessage(error));
    this.code = error.code;
    this.field = error.field;
  }
}

/** Calls a channel; a refusal becomes an ApiError to catch where the screen can say it. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf<C>> {
  const answer = await window.latchkey.call(channel, request);
  if (!answer.ok) throw new ApiError(answer.error);
  return answer.value;
}

export function on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return window.latchkey.on(event, listener);
}
