// A yes/no question for the person at the terminal, for permanent changes such as revoking a key.

import type { CliIo } from './registry.js';

/** Resolves true only for y or yes (any case); false for anything else, and when nobody can answer. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.interactive || !io.prompt) return false;
  const answer = await io.prompt(`${question} [y/N] `, { hidden: false });
  if (!answer) return false;
  const yes = /^\s*y(es)?\s*$/i.test(answer.toString('utf8'));
  answer.fill(0);
  return yes;
}
