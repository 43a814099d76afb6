/**
 * What the deployed webhook worker does with an event a receiver did not take (docs/webhooks.md):
 * the retry schedule of about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, … as Svix and Standard Webhooks
 * senders use it, for up to 3 days, then the dead-letter queue. The schedule counts from when the event
 * entered the endpoint's queue, so receives that sent nothing (a backlog, a paused endpoint) do not
 * use it up.
 * Layer: delivery (pure).
 */

/** The waits between attempts; the last one repeats until `GIVE_UP_AFTER_SECONDS`. */
export const WEBHOOK_RETRY_WAITS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000] as const;
/** Svix's and Stripe's bound: an event not taken within 3 days goes to the dead-letter queue. */
export const GIVE_UP_AFTER_SECONDS = 3 * 86_400;
/** A receiver that refuses an event (a 4xx but 408, 410 and 429) gets this many attempts at it. */
export const REFUSED_ATTEMPTS = 3;
/** SQS's limit on one ChangeMessageVisibility. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

export type RetryFailure =
  /** No answer, 408, 429, 5xx: the receiver is down or overloaded. */
  | { readonly kind: 'unhealthy'; readonly retryAfterMs?: number }
  /** Another 3xx or 4xx: the receiver refused this event. */
  | { readonly kind: 'refused' };

export type RetryDecision =
  | { readonly kind: 'retry'; readonly afterSeconds: number }
  | { readonly kind: 'dead-letter'; readonly reason: string };

/** The attempt times, as seconds after the event was queued: 0, 5, 305, 2105, … up to 3 days. */
export function webhookAttemptOffsetsSeconds(): number[] {
  const offsets = [0];
  for (let i = 0; ; i++) {
    const wait = WEBHOOK_RETRY_WAITS_SECONDS[Math.min(i, WEBHOOK_RETRY_WAITS_SECONDS.length - 1)] ?? 0;
    const next = (offsets.at(-1) ?? 0) + wait;
    if (next > GIVE_UP_AFTER_SECONDS) return offsets;
    offsets.push(next);
  }
}

const OFFSETS = webhookAttemptOffsetsSeconds();

/** After a failed attempt at an event queued `ageSeconds` ago: when to try it next, or to give it up. */
export function retryDecision(failure: RetryFailure, ageSeconds: number): RetryDecision {
  const attemptsSoFar = OFFSETS.filter((offset) => offset <= ageSeconds).length;
  if (failure.kind === 'refused' && attemptsSoFar >= REFUSED_ATTEMPTS) {
    return { kind: 'dead-letter', reason: `refused ${REFUSED_ATTEMPTS} times` };
  }
  const next = OFFSETS.find((offset) => offset > ageSeconds);
  if (next === undefined) return { kind: 'dead-letter', reason: 'not taken within 3 days' };
  const scheduled = Math.max(next - ageSeconds, WEBHOOK_RETRY_WAITS_SECONDS[0]);
  const asked = failure.kind === 'unhealthy' ? Math.ceil((failure.retryAfterMs ?? 0) / 1000) : 0;
  const afterSeconds = Math.min(Math.max(scheduled, asked), MAX_VISIBILITY_SECONDS);
  if (ageSeconds + afterSeconds > GIVE_UP_AFTER_SECONDS) {
    return { kind: 'dead-letter', reason: 'not taken within 3 days' };
  }
  return { kind: 'retry', afterSeconds: Math.ceil(afterSeconds) };
}
