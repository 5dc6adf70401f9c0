// Ctrl+C and `kill` as an AbortSignal, so a long-running command stops cleanly (keys cancelled, card removed) instead of dying.

export interface Interruption {
  /** Aborted on the first SIGINT or SIGTERM, with the signal's name as reason. */
  readonly signal: AbortSignal;
  /** Gives SIGINT and SIGTERM back to Node's default (exit at once). */
  dispose(): void;
}

export function interruption(): Interruption {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => controller.abort(name);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
