/**
 * Drains one SQS batch to a target that must be paced (a Slack webhook, a digest email topic, a
 * deployed webhook), the worker side of infra/constructs/paced-target-queue.ts.
 * Layer: delivery (pure; the target and the clock are ports).
 *
 * Interface, for every worker that reuses it:
 *  - the worker turns its batch into `deliveries`, in order, each a payload and the ids of the SQS
 *    messages it carries (one message each, or many in one digest);
 *  - `target.send(payload)` makes one attempt and says what came of it (`SendOutcome`): `delivered`,
 *    `retry` (429, 5xx, no answer; with the target's `Retry-After` when it gave one) or `rejected`
 *    (the target will not take this payload as it is);
 *  - sends are paced: no two start closer than `minIntervalMs`, across every delivery of the batch;
 *  - a `retry` pauses the whole target, not just that delivery, for `Retry-After` or else a backoff
 *    with jitter, so a throttled target sees no retry storm; without `retryPause` it ends the drain
 *    instead, and that delivery and every one after it wait in the queue (a target whose retries are
 *    hours apart, the deployed webhook's);
 *  - no send starts unless `sendTimeoutMs` is left before the invocation's time runs out;
 *  - the result lists the ids of the messages that were not delivered (a rejected delivery's and
 *    every delivery not sent in time): `toBatchResponse` makes them Lambda's `batchItemFailures`, so
 *    only they return to the queue and are tried again after its visibility timeout.
 */
import { type BackoffPolicy, backoffDelayMs } from '../support/backoff.js';

export type SendOutcome =
  | { readonly kind: 'delivered' }
  | {
      readonly kind: 'retry';
      /** What went wrong, for the log: an HTTP status or a network error code. */
      readonly reason: string;
      /** What the target's `Retry-After` asked for, in milliseconds. */
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'rejected'; readonly reason: string };

export interface PacedTarget<P> {
  /** One attempt; never throws for what the target answered. */
  send(payload: P): Promise<SendOutcome>;
}

export interface Delivery<P> {
  readonly payload: P;
  /** The SQS message ids this payload delivers. */
  readonly messageIds: readonly string[];
}

export interface DrainClock {
  /** Milliseconds on a monotonic or wall clock; only differences are used. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** How a `retry` is waited out within the invocation. */
export interface RetryPause {
  /** How long to pause after a `retry` that named no `Retry-After`; only the delays are used. */
  readonly backoff: BackoffPolicy;
  /** Longest pause, whatever `Retry-After` asks; one the invocation cannot wait out leaves the rest queued. */
  readonly maxPauseMs: number;
}

export interface PacingOptions {
  /** Least time between the starts of two sends, e.g. 1000 for Slack's one message per second. */
  readonly minIntervalMs: number;
  /**
   * Pause the target after a `retry`, then send the delivery again.
   * @default - none: a `retry` ends the drain, and the rest waits in the queue
   */
  readonly retryPause?: RetryPause;
  /** Longest one send may take: none starts with less than this left. */
  readonly sendTimeoutMs: number;
}

export interface DrainNotices {
  /** Before each pause of the target, e.g. to log it. */
  readonly onPause?: (notice: { readonly reason: string; readonly pauseMs: number }) => void;
  /** When the target rejected a delivery. */
  readonly onRejected?: (notice: { readonly reason: string; readonly messageIds: readonly string[] }) => void;
}

export interface DrainOptions<P> extends DrainNotices {
  readonly deliveries: readonly Delivery<P>[];
  readonly target: PacedTarget<P>;
  readonly pacing: PacingOptions;
  readonly clock: DrainClock;
  /** Milliseconds left in the invocation (Lambda's `context.getRemainingTimeInMillis`). */
  readonly remainingTimeMs: () => number;
  readonly random?: () => number;
}

export interface DrainResult {
  /** Ids of the messages not delivered, to go back to the queue. */
  readonly failedMessageIds: readonly string[];
  /** Deliveries the target took. */
  readonly delivered: number;
  /** Attempts made, retries included. */
  readonly sends: number;
  /** Attempts answered with `retry` (a 429 among them). */
  readonly retries: number;
  /** Deliveries the target rejected. */
  readonly rejected: number;
  /**
   * Deliveries left in the queue: the invocation's time ran out, or a `retry` from a target without a
   * retry pause ended the drain (that delivery included).
   */
  readonly unsent: number;
}

export async function drainToPacedTarget<P>(options: DrainOptions<P>): Promise<DrainResult> {
  const { clock, pacing, target } = options;
  const random = options.random ?? Math.random;
  const failed: string[] = [];
  const tally = { delivered: 0, sends: 0, retries: 0, rejected: 0, unsent: 0 };
  const timeLeftAt = (at: number) => options.remainingTimeMs() - (at - clock.now());
  let nextSendAt = clock.now();
  let retriesInARow = 0;

  for (const [index, delivery] of options.deliveries.entries()) {
    let outcome: SendOutcome | undefined;
    while (outcome?.kind !== 'delivered' && outcome?.kind !== 'rejected') {
      const startAt = Math.max(nextSendAt, clock.now());
      if (timeLeftAt(startAt) < pacing.sendTimeoutMs) break;
      await clock.sleep(startAt - clock.now());
      outcome = await target.send(delivery.payload);
      tally.sends++;
      nextSendAt = Math.max(startAt, clock.now()) + pacing.minIntervalMs;
      if (outcome.kind !== 'retry') continue;
      tally.retries++;
      retriesInARow++;
      const { retryPause } = pacing;
      if (retryPause === undefined) break;
      const pauseMs = Math.min(
        retryPause.maxPauseMs,
        outcome.retryAfterMs ?? backoffDelayMs(retriesInARow, retryPause.backoff, random),
      );
      options.onPause?.({ reason: outcome.reason, pauseMs });
      nextSendAt = Math.max(nextSendAt, clock.now() + pauseMs);
    }
    if (outcome?.kind === 'delivered') {
      tally.delivered++;
      retriesInARow = 0;
      continue;
    }
    if (outcome?.kind === 'rejected') {
      tally.rejected++;
      failed.push(...delivery.messageIds);
      options.onRejected?.({ reason: outcome.reason, messageIds: delivery.messageIds });
      continue;
    }
    // Out of time, or a retry with no pause: this delivery and every one after it wait in the queue.
    const rest = options.deliveries.slice(index);
    tally.unsent += rest.length;
    failed.push(...rest.flatMap((unsent) => unsent.messageIds));
    break;
  }
  return { failedMessageIds: failed, ...tally };
}

/** Lambda's partial batch response (the event source mapping reports batch item failures). */
export interface BatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

export function toBatchResponse(failedMessageIds: readonly string[]): BatchResponse {
  return { batchItemFailures: [...new Set(failedMessageIds)].map((itemIdentifier) => ({ itemIdentifier })) };
}
