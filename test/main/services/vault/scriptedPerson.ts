// A person at the prompts, for the vault's lifecycle tests: answers from a table the test changes as it goes (the
// password after a change), every secret asked noted, and the vault's extra touches counted.

import type { Prompter, ProgressStep, SecretPrompt } from '../../../../src/main/services/index.js';

export function scriptedPerson(answers: Partial<Record<SecretPrompt['kind'], string>>) {
  const steps: ProgressStep[] = [];
  const asked: SecretPrompt['kind'][] = [];
  const prompter: Prompter = {
    async secret(prompt) {
      asked.push(prompt.kind);
      const answer = answers[prompt.kind];
      return answer === undefined ? undefined : new TextEncoder().encode(answer);
    },
    touch: () => undefined,
    insertKey: async () => false,
    confirm: async () => true,
    progress: (step) => steps.push(step),
  };
  const extraTouches = () => steps.filter((s) => s === 'vault-key-touch').length;
  return { prompter, answers, asked, steps, extraTouches };
}
