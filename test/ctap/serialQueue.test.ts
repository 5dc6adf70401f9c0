// SerialQueue: the one serialiser of the library and the app (transports, virtual key, stores).
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src/ctap/serialQueue.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SerialQueue', () => {
  it('starts a task only once the one before it settled, in the order they were queued', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = deferred<string>();
    const a = queue.run(async () => (log.push('a start'), first.promise));
    const b = queue.run(async () => (log.push('b start'), 'b'));
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.resolve('a');
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'b start']);
  });

  it('settles each task as it settled, and a rejected task does not hold up the next', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('first failed')));
    const next = queue.run(() => 'next ran');
    await expect(failed).rejects.toThrow('first failed');
    await expect(next).resolves.toBe('next ran');
  });

  it('starts a task at once when nothing is queued or running, and queues one behind a task still running', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const gate = deferred<void>();
    const a = queue.run(() => (log.push('a start'), gate.promise));
    expect(log).toEqual(['a start']);
    const b = queue.run(() => log.push('b start'));
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    gate.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'b start']);
    await queue.drained();
    queue.run(() => log.push('c start'));
    expect(log).toEqual(['a start', 'b start', 'c start']);
  });

  it('turns a task that throws before returning a promise into a rejection, and runs the next task', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => {
      throw new Error('threw at once');
    });
    const next = queue.run(() => 'next ran');
    await expect(failed).rejects.toThrow('threw at once');
    await expect(next).resolves.toBe('next ran');
  });

  it('drained() waits for every task queued so far, failed ones included, and never rejects', async () => {
    const queue = new SerialQueue();
    const gate = deferred<void>();
    let done = false;
    queue.run(() => gate.promise.then(() => Promise.reject(new Error('late failure')))).catch(() => undefined);
    queue.run(() => (done = true));
    const drained = queue.drained();
    gate.resolve();
    await expect(drained).resolves.toBeUndefined();
    expect(done).toBe(true);
  });
});
