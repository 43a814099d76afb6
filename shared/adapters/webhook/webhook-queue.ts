/**
 * The port of the webhook publisher's per-target delivery queue: events a target has not taken yet,
 * kept durably so the core may record them as published and a restart loses none. Each target has its
 * own queue, in the order events were published; the adapter is `sqlite-webhook-queue.ts`.
 * Layer: adapter (webhook).
 */

export interface QueuedDelivery {
  /** Rises in the order deliveries were queued. */
  readonly seq: number;
  readonly eventId: string;
  /** The event as sent: the CloudEvents JSON document. */
  readonly body: string;
  /** Attempts that failed so far. */
  readonly attempts: number;
  /** When the first attempt failed (ms since the epoch); the retry schedule counts from here. */
  readonly firstFailedAt: number;
  readonly nextAttemptAt: number;
}

export type NewDelivery = Omit<QueuedDelivery, 'seq'> & { readonly lastError: string };

export interface QueueSummary {
  readonly count: number;
  readonly nextAttemptAt?: number;
  readonly lastError?: string;
}

/** Synchronous: each call is one small local transaction. `target` is a key that names no secret. */
export interface WebhookQueue {
  /** Queues deliveries behind the target's others; an event already queued for the target is kept as it is. */
  add(target: string, deliveries: readonly NewDelivery[]): void;
  /** The oldest deliveries due by `now`, in queue order. */
  due(target: string, now: number, limit: number): QueuedDelivery[];
  summary(target: string): QueueSummary;
  reschedule(
    target: string,
    seq: number,
    change: { attempts: number; nextAttemptAt: number; lastError: string },
  ): void;
  /**
   * No delivery of the target is due before `until`: it is down, and its queue waits as a whole. The
   * pause is kept with the queue, so events published after a restart still queue behind it.
   */
  postpone(target: string, until: number): void;
  /** Until when the target was last paused (ms since the epoch); 0 when it never was. */
  pausedUntil(target: string): number;
  remove(target: string, seq: number): void;
  /** Empties the target's queue and forgets its pause; returns how many deliveries it held. */
  clear(target: string): number;
}
