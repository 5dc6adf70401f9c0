// The services' Prompter in the desktop app: prompts go to the window as events, answers come back on `prompt:answer`.

import { randomUUID } from 'node:crypto';
import type { EventName, EventOf, PromptView, RequestOf } from '../../ipc/contract.js';
import type { Prompter, SecretKind, SecretPrompt } from '../services/index.js';

export type EventSender = <E extends EventName>(event: E, payload: EventOf<E>) => void;

type PromptAnswer = RequestOf<'prompt:answer'>['answer'];

interface Pending {
  prompt: PromptView;
  resolve(answer: PromptAnswer): void;
}

/**
 * One per window. What a form already holds (the password typed on the sign-in screen) is given for the one call it
 * belongs to (`withAnswers`); anything else the services ask (a PIN, the password again for an export) becomes a
 * prompt event, and the call waits for the person's answer. A prompt that outlives its question (the key was
 * touched, the operation cancelled) is taken down with `prompt:closed`.
 */
export class IpcPrompter implements Prompter {
  readonly #send: EventSender;
  readonly #pending = new Map<string, Pending>();
  /** Shown until the operation ends: touch and fingerprint messages have no answer. */
  readonly #notices = new Set<string>();
  #given: Partial<Record<SecretKind, string>> = {};

  constructor(send: EventSender) {
    this.#send = send;
  }

  /** Runs `run` with secrets the person typed into the form that started it; they are forgotten when it ends. */
  async withAnswers<T>(answers: Partial<Record<SecretKind, string>>, run: () => Promise<T>): Promise<T> {
    this.#given = { ...answers };
    try {
      return await run();
    } finally {
      this.#given = {};
      this.closeNotices();
    }
  }

  async secret(prompt: SecretPrompt): Promise<Uint8Array | undefined> {
    const given = this.#given[prompt.kind];
    if (given !== undefined) {
      // Each typed secret answers once: a second request (a wrong password asked again) goes to the person.
      delete this.#given[prompt.kind];
      return Buffer.from(given, 'utf8');
    }
    const view: PromptView =
      prompt.kind === 'pin'
        ? {
            kind: 'pin',
            ...(prompt.device === undefined ? {} : { device: prompt.device }),
            ...(prompt.retry === undefined ? {} : { retry: prompt.retry }),
            ...(prompt.retriesLeft === undefined ? {} : { retriesLeft: prompt.retriesLeft }),
            ...(prompt.minPinLength === undefined ? {} : { minPinLength: prompt.minPinLength }),
          }
        : {
            kind: 'password',
            ...(prompt.email === undefined ? {} : { email: prompt.email }),
            ...(prompt.reason === undefined ? {} : { reason: prompt.reason }),
          };
    const answer = await this.#ask(view, prompt.signal);
    return answer.kind === 'secret' ? Buffer.from(answer.value, 'utf8') : undefined;
  }

  touch(prompt: Parameters<Prompter['touch']>[0]): void {
    const id = this.#notice({
      kind: 'touch',
      purpose: prompt.purpose,
      ...(prompt.device === undefined ? {} : { device: prompt.device }),
    });
    prompt.signal.addEventListener('abort', () => this.#close(id), { once: true });
  }

  async chooseKey(prompt: Parameters<NonNullable<Prompter['chooseKey']>>[0]): Promise<number | undefined> {
    const keys = prompt.keys.map((k) => ({
      ...(k.name === undefined ? {} : { name: k.name }),
      transport: k.transport,
    }));
    const answer = await this.#ask({ kind: 'choose-key', keys }, prompt.signal);
    return answer.kind === 'choice' && answer.index < keys.length ? answer.index : undefined;
  }

  async insertKey(prompt: Parameters<Prompter['insertKey']>[0]): Promise<boolean> {
    const answer = await this.#ask({ kind: 'insert-key', unavailable: [...prompt.unavailable] }, prompt.signal, {
      // A key arrived: look again.
      onAbort: { kind: 'yes-no', yes: true },
    });
    return answer.kind === 'yes-no' && answer.yes;
  }

  async confirm(prompt: Parameters<Prompter['confirm']>[0]): Promise<boolean> {
    const answer = await this.#ask({ kind: 'confirm', question: prompt.question }, prompt.signal);
    return answer.kind === 'yes-no' && answer.yes;
  }

  fingerprintRetry(prompt: { retriesLeft?: number }): void {
    this.#notice({
      kind: 'fingerprint-retry',
      ...(prompt.retriesLeft === undefined ? {} : { retriesLeft: prompt.retriesLeft }),
    });
  }

  progress(step: Parameters<NonNullable<Prompter['progress']>>[0]): void {
    this.#send('progress', { step });
  }

  /** The person's answer; false when no prompt has that id (answered already, or taken down). */
  answer(id: string, answer: PromptAnswer): boolean {
    const pending = this.#pending.get(id);
    if (!pending) return false;
    // An answer of another kind than the prompt asks is a cancel: a PIN prompt answered "yes" gives no PIN.
    const fits =
      answer.kind === 'cancel' ||
      (answer.kind === 'secret' && (pending.prompt.kind === 'pin' || pending.prompt.kind === 'password')) ||
      (answer.kind === 'choice' && pending.prompt.kind === 'choose-key') ||
      (answer.kind === 'yes-no' && (pending.prompt.kind === 'confirm' || pending.prompt.kind === 'insert-key'));
    pending.resolve(fits ? answer : { kind: 'cancel' });
    return true;
  }

  /** Every open question is answered "cancel" (the window closed, the session locked). */
  cancelAll(): void {
    for (const pending of [...this.#pending.values()]) pending.resolve({ kind: 'cancel' });
    this.closeNotices();
  }

  closeNotices(): void {
    for (const id of [...this.#notices]) this.#close(id);
  }

  #notice(prompt: PromptView): string {
    const id = randomUUID();
    this.#notices.add(id);
    this.#send('prompt', { id, prompt });
    return id;
  }

  #close(id: string): void {
    if (this.#notices.delete(id) || this.#pending.delete(id)) this.#send('prompt:closed', { id });
  }

  #ask(prompt: PromptView, signal: AbortSignal, options: { onAbort?: PromptAnswer } = {}): Promise<PromptAnswer> {
    const id = randomUUID();
    return new Promise<PromptAnswer>((resolve) => {
      const finish = (answer: PromptAnswer) => {
        signal.removeEventListener('abort', onAbort);
        this.#close(id);
        resolve(answer);
      };
      const onAbort = () => finish(options.onAbort ?? { kind: 'cancel' });
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, { prompt, resolve: finish });
      this.#send('prompt', { id, prompt });
    });
  }
}
