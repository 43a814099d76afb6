/**
 * The retry loop of DynamoDB's batch operations: send a batch, then resend what came back unprocessed.
 * Layer: adapter.
 *
 * A call that processed part of its batch made progress (a read can stop at the 16 MB response limit
 * without any throttling), so only calls in a row that processed nothing count against the policy's
 * attempts. Every call shrinks the remaining set or spends an attempt, so the loop always ends.
 */
import { backoffDelayMs, type RetryPacing } from '../../support/backoff.js';

export interface UnprocessedResult<T> {
  /** What was still unprocessed when the attempts ran out; empty on success. */
  readonly remaining: readonly T[];
  readonly fruitlessAttempts: number;
}

export async function sendUntilProcessed<T>(
  batch: readonly T[],
  send: (requests: readonly T[]) => Promise<readonly T[]>,
  pacing: RetryPacing,
): Promise<UnprocessedResult<T>> {
  let remaining = batch;
  let fruitlessAttempts = 0;
  let firstCall = true;
  while (remaining.length > 0 && fruitlessAttempts < pacing.backoff.maxAttempts) {
    if (!firstCall) {
      await pacing.sleep(backoffDelayMs(Math.max(1, fruitlessAttempts), pacing.backoff, pacing.random));
    }
    firstCall = false;
    const unprocessed = await send(remaining);
    fruitlessAttempts = unprocessed.length < remaining.length ? 0 : fruitlessAttempts + 1;
    remaining = unprocessed;
  }
  return { remaining, fruitlessAttempts };
}
