/**
 * Runs async work over items with at most `limit` in flight, so batches go out in parallel without
 * flooding the service. After the first failure no new work starts; the call waits for what is in
 * flight, then throws that failure, so nothing keeps running behind the caller's back.
 * Layer: adapter support.
 */
export async function forEachBounded<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = items[Symbol.iterator]();
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const next = queue.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (error: unknown) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== undefined) throw failure.error;
}
