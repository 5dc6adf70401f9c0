// Runs one call a screen makes at a time: busy while it runs, and the main process's one-sentence refusal if it fails.

import { ref, type Ref } from 'vue';
import { ApiError } from '../services/api';

export interface Action {
  /** True while the call runs: the screen shows progress and disables its button. */
  readonly busy: Ref<boolean>;
  /** The refusal's sentence, shown next to what failed; cleared when the call runs again. */
  readonly error: Ref<string | undefined>;
  /** The field the refusal names (`email`, `password`...), to tie the message to that input. */
  readonly field: Ref<string | undefined>;
  /** Runs `work`; resolves to its value, or undefined when it failed (the error is then shown). */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
}

export function useAction(): Action {
  const busy = ref(false);
  const error = ref<string | undefined>();
  const field = ref<string | undefined>();

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = undefined;
    field.value = undefined;
    try {
      return await work();
    } catch (caught) {
      // Only the main process's sentence reaches the person; anything else is a bug, said without its stack.
      if (caught instanceof ApiError) {
        error.value = caught.message;
        field.value = caught.field;
      } else {
        error.value = caught instanceof Error ? caught.message : String(caught);
      }
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, field, run };
}
