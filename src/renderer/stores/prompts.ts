// The main process's prompts (touch, PIN, password, choose a key, insert a key, confirm), its progress and warnings.

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { EventOf, PromptView, RequestOf } from '../../ipc/contract';
import { call, on } from '../services/api';

export interface OpenPrompt {
  id: string;
  prompt: PromptView;
  /** The progress step said just before this prompt opened ("touch once more, for the vault"), shown with it. */
  step?: ProgressStep;
}
export type ProgressStep = EventOf<'progress'>['step'];
type PromptAnswer = RequestOf<'prompt:answer'>['answer'];

export const usePromptsStore = defineStore('prompts', () => {
  const open = ref<OpenPrompt[]>([]);
  const step = ref<ProgressStep | undefined>();
  const warning = ref<string | undefined>();
  /** The step arrived and no prompt has taken it yet: it belongs to the next prompt, not to the one closing. */
  let stepPending = false;

  /** One dialog at a time: the oldest prompt first, as the main process waits for it first. */
  const current = computed(() => open.value[0]);

  on('prompt', ({ id, prompt }) => {
    open.value = [
      ...open.value.filter((p) => p.id !== id),
      { id, prompt, ...(step.value ? { step: step.value } : {}) },
    ];
    stepPending = false;
  });
  on('prompt:closed', ({ id }) => {
    open.value = open.value.filter((p) => p.id !== id);
    if (open.value.length === 0 && !stepPending) step.value = undefined;
  });
  on('progress', (event) => {
    step.value = event.step;
    stepPending = true;
  });
  on('warning', (event) => {
    warning.value = event.message;
  });

  /** Sends the answer and takes the dialog down at once (the main process's `prompt:closed` may follow). */
  async function answer(id: string, reply: PromptAnswer): Promise<void> {
    open.value = open.value.filter((p) => p.id !== id);
    await call('prompt:answer', { id, answer: reply });
  }

  /** Cancel: the prompt, and for a wait on the key (touch, insert), the operation itself so the key stops waiting. */
  async function cancel(id: string): Promise<void> {
    const kind = open.value.find((p) => p.id === id)?.prompt.kind;
    await answer(id, { kind: 'cancel' });
    if (kind === 'touch' || kind === 'insert-key') await call('operation:cancel', {});
  }

  function dismissWarning(): void {
    warning.value = undefined;
  }

  return { open, current, step, warning, answer, cancel, dismissWarning };
});
