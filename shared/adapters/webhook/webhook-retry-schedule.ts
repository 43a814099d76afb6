/**
 * When a webhook delivery that failed is tried again: a fixed, documented schedule (docs/webhooks.md)
 * that backs off from seconds to hours and gives up about a day after the first failure, as Standard
 * Webhooks senders commonly do. A `Retry-After` longer than the schedule's wait is honoured, up to an hour.
 * Layer: adapter (webhook).
 */

/** Seconds to wait after the 1st, 2nd, … failed attempt; after the last one the delivery is given up. */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [
  5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800,
] as const;

export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Milliseconds until the next attempt after `failedAttempts` failures, or undefined when it is time to give up. */
export function retryDelayMs(failedAttempts: number, retryAfterMs?: number): number | undefined {
  const seconds = WEBHOOK_RETRY_DELAYS_SECONDS[failedAttempts - 1];
  if (seconds === undefined) return undefined;
  return Math.max(seconds * 1000, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
