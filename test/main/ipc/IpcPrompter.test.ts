import { describe, expect, it } from 'vitest';
import type { EventName, EventOf } from '../../../src/ipc/contract.js';
import { IpcPrompter } from '../../../src/main/ipc/IpcPrompter.js';

function recorder() {
  const sent: { event: EventName; payload: unknown }[] = [];
  const prompter = new IpcPrompter(<E extends EventName>(event: E, payload: EventOf<E>) =>
    sent.push({ event, payload }),
  );
  const lastPromptId = () => (sent.filter((s) => s.event === 'prompt').at(-1)?.payload as { id: string }).id;
  return { sent, prompter, lastPromptId };
}

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('IpcPrompter', () => {
  it('answers a secret the form gave once, then asks the window for the next one', async () => {
    const { sent, prompter, lastPromptId } = recorder();
    const signal = new AbortController().signal;
    await prompter.withAnswers({ password: 'typed in the form' }, async () => {
      expect(text(await prompter.secret({ kind: 'password', signal }))).toBe('typed in the form');
      const second = prompter.secret({ kind: 'password', email: 'ada@example.org', signal });
      expect(sent.at(-1)).toEqual({
        event: 'prompt',
        payload: { id: expect.any(String), prompt: { kind: 'password', email: 'ada@example.org' } },
      });
      expect(prompter.answer(lastPromptId(), { kind: 'secret', value: 'asked again' })).toBe(true);
      expect(text(await second)).toBe('asked again');
    });
    expect(sent.filter((s) => s.event === 'prompt:closed')).toHaveLength(1);
  });

  it('forgets the form secrets when the call ends', async () => {
    const { prompter, lastPromptId } = recorder();
    await prompter.withAnswers({ pin: '1234' }, async () => undefined);
    const asked = prompter.secret({ kind: 'pin', signal: new AbortController().signal });
    prompter.answer(lastPromptId(), { kind: 'cancel' });
    expect(await asked).toBeUndefined();
  });

  it('shows a PIN prompt with the retries left and the reason, and a cancel resolves undefined', async () => {
    const { sent, prompter, lastPromptId } = recorder();
    const asked = prompter.secret({
      kind: 'pin',
      device: 'YubiKey 5 NFC',
      retry: 'pin-invalid',
      retriesLeft: 2,
      signal: new AbortController().signal,
    });
    expect(sent.at(-1)?.payload).toMatchObject({
      prompt: { kind: 'pin', device: 'YubiKey 5 NFC', retry: 'pin-invalid', retriesLeft: 2 },
    });
    prompter.answer(lastPromptId(), { kind: 'cancel' });
    expect(await asked).toBeUndefined();
  });

  it('treats an answer of the wrong kind as a cancel (a confirm answered with a secret is no yes)', async () => {
    const { prompter, lastPromptId } = recorder();
    const asked = prompter.confirm({ question: 'Revoke it?', signal: new AbortController().signal });
    prompter.answer(lastPromptId(), { kind: 'secret', value: 'yes' });
    expect(await asked).toBe(false);
  });

  it('refuses an answer to a prompt that is not open', () => {
    const { prompter } = recorder();
    expect(prompter.answer('no-such-prompt', { kind: 'yes-no', yes: true })).toBe(false);
  });

  it('takes a touch prompt down when the key stops waiting', () => {
    const { sent, prompter } = recorder();
    const waiting = new AbortController();
    prompter.touch({ purpose: 'presence', device: 'Titan', signal: waiting.signal });
    const shown = sent.at(-1)?.payload as { id: string; prompt: unknown };
    expect(shown.prompt).toEqual({ kind: 'touch', purpose: 'presence', device: 'Titan' });
    waiting.abort();
    expect(sent.at(-1)).toEqual({ event: 'prompt:closed', payload: { id: shown.id } });
  });

  it('looks again for a key when one arrives while "insert a key" is shown', async () => {
    const { sent, prompter } = recorder();
    const arrived = new AbortController();
    const asked = prompter.insertKey({
      unavailable: [{ transport: 'nfc', reason: 'pcscd is not running' }],
      signal: arrived.signal,
    });
    arrived.abort();
    expect(await asked).toBe(true);
    expect(sent.map((s) => s.event)).toEqual(['prompt', 'prompt:closed']);
  });

  it('cancels every open question at once (a lock)', async () => {
    const { prompter } = recorder();
    const signal = new AbortController().signal;
    const choice = prompter.chooseKey({ keys: [{ name: 'A', transport: 'usb' }], signal });
    const yes = prompter.confirm({ question: 'Sure?', signal });
    prompter.cancelAll();
    expect(await choice).toBeUndefined();
    expect(await yes).toBe(false);
  });
});
