// Runs asynchronous tasks one at a time, in the order they were queued: how a channel keeps two requests from interleaving.

/**
 * A queue of tasks that never overlap. A task starts once the one before it settled, whether it resolved or rejected:
 * one failed request must not block the channel for the next. A task queued while nothing is queued or running starts
 * at once, within `run`.
 */
export class SerialQueue {
  /** Settles (never rejects) once the last task queued has settled and been counted out of `pending`. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running. */
  private pending = 0;
  private readonly settled = (): void => {
    this.pending--;
  };

  /** Queues `task` behind every task queued before it and settles as it does. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    // When idle, no hop through the tail: on a device channel that hop (a promise, a resolution with the task's
    // promise, three microtasks) was a good part of a request's client-side cost.
    const result = this.pending++ === 0 ? startNow(task) : this.tail.then(task);
    this.tail = result.then(this.settled, this.settled);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drained(): Promise<void> {
    await this.tail;
  }
}

/** The task's promise, or a rejected one if it threw before returning one. */
function startNow<T>(task: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(task());
  } catch (error) {
    return Promise.reject(error);
  }
}
