// Runs asynchronous tasks one at a time, in the order they were queued: how a channel keeps two requests from interleaving.

/**
 * A queue of tasks that never overlap. A task starts once the one before it settled, whether it resolved or rejected:
 * one failed request must not block the channel for the next.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task` behind every task queued before it and settles as it does. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drained(): Promise<void> {
    await this.tail;
  }
}
