// Awaits a promise that must reject and returns what it rejected with; a promise that resolves fails the test.

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
