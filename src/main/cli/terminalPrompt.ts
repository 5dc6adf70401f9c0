// Reads one line typed at the terminal, without echo for passwords, PINs and recovery codes (stdin in raw mode).

import { emitKeypressEvents } from 'node:readline';

/** Longest answer kept, in UTF-8 bytes; further keys are ignored (no password or PIN comes near it). */
const MAX_BYTES = 1024;

export interface TerminalPromptOptions {
  /** Do not echo what is typed. */
  hidden: boolean;
  /** @default process.stdin */
  input?: NodeJS.ReadStream;
  /** Where the question goes; stderr, so stdout stays the command's result (and --json stays parseable). @default process.stderr */
  output?: NodeJS.WriteStream;
}

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * Resolves with the bytes typed, or undefined on Ctrl+C / Ctrl+D / end of input. The answer is collected in one
 * Buffer (never a string), which the caller zeroes; characters erased with Backspace are zeroed at once. Without a
 * TTY (input piped) it reads the line the same way, since setRawMode does not exist there.
 */
export function terminalPrompt(question: string, options: TerminalPromptOptions): Promise<Buffer | undefined> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  const buffer = Buffer.alloc(MAX_BYTES);
  /** Byte length of each character typed, so Backspace removes a whole character. */
  const lengths: number[] = [];
  let used = 0;
  output.write(question);
  emitKeypressEvents(input);
  const raw = input.isTTY === true;
  const wasRaw = raw && input.isRaw;
  if (raw) input.setRawMode(true);
  input.resume();

  return new Promise((resolve) => {
    const finish = (answer: Buffer | undefined): void => {
      input.off('keypress', onKey);
      input.off('end', onEnd);
      if (raw) input.setRawMode(wasRaw);
      // Paused again so the process can exit once the command is done.
      input.pause();
      output.write('\n');
      if (answer === undefined) buffer.fill(0);
      resolve(answer);
    };
    const onEnd = (): void => finish(undefined);
    const onKey = (text: string | undefined, key: Key | undefined): void => {
      if (key?.ctrl && (key.name === 'c' || key.name === 'd')) return finish(undefined);
      if (key?.name === 'return' || key?.name === 'enter') return finish(buffer.subarray(0, used));
      if (key?.name === 'backspace') {
        const length = lengths.pop();
        if (length === undefined) return;
        used -= length;
        buffer.fill(0, used, used + length);
        if (!options.hidden) output.write('\b \b');
        return;
      }
      if (text === undefined || key?.ctrl || key?.meta || /\p{Cc}/u.test(text)) return;
      const length = Buffer.byteLength(text, 'utf8');
      if (used + length > MAX_BYTES) return;
      buffer.write(text, used, 'utf8');
      used += length;
      lengths.push(length);
      if (!options.hidden) output.write(text);
    };
    input.on('keypress', onKey);
    input.once('end', onEnd);
  });
}
