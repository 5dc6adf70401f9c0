// A password's strength as the person types it (zxcvbn's 0-4 score), for the hint under a new password.

import { computed, type Ref } from 'vue';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';

// Built once: the factory holds its matchers; no dictionary is loaded, so the score leans on patterns and length.
const zxcvbn = new ZxcvbnFactory();

/** Scores past this length are not worth the time it takes per keystroke: such a password is strong anyway. */
const LONGEST_CHECKED = 100;

export type Strength = 0 | 1 | 2 | 3 | 4;

export function usePasswordStrength(password: Ref<string>, userInputs: Ref<string[]> = computed(() => [])) {
  return computed<Strength | undefined>(() => {
    if (password.value.length === 0) return undefined;
    if (password.value.length > LONGEST_CHECKED) return 4;
    return zxcvbn.check(password.value, userInputs.value).score as Strength;
  });
}
