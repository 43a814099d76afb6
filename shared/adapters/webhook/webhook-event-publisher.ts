/**
 * EventPublisher that POSTs each event, as a CloudEvents JSON document (structured mode), to every webhook
 * URL, signed as Standard Webhooks prescribes, keeping delivery state per target. Layer: adapter.
 *  1. per target and event: sign with a fresh timestamp (receivers reject stale ones) and POST, each attempt
 *     bounded by a timeout of its own (a plain timer, see abort-scope.ts); 2xx is accepted;
 *  2. what a target did not take goes into that target's durable queue (webhook-queue.ts), and only then
 *     does the publish succeed: the core records its state, the other targets are not sent anything again,
 *     and `retryDue` tries the queued deliveries on the documented schedule (webhook-retry-schedule.ts);
 *  3. a target that failed for want of health (no answer, 408, 429, 5xx) gets no more attempts in that
 *     round; one that refused a single event (another 3xx or 4xx) still gets the events after it;
 *  4. `410 Gone` disables the target until the next start and drops its queue, with a notice saying so.
 * Only a queue that cannot be written fails a publish: then nothing was recorded, and the core publishes
 * again under the same event ids, which receivers use to de-duplicate.
 */
import { createHash } from 'node:crypto';
import type { ChangeEvent } from '../../core/change-event.js';
import { eventJson } from '../../core/event-json.js';
import type { EventPublisher } from '../../core/ports.js';
import { forEachBounded } from '../../support/for-each-bounded.js';
import {
  type WebhookAttemptFailure as AttemptFailure,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  postSignedWebhook,
  WEBHOOK_USER_AGENT,
} from './signed-webhook-post.js';
import { createWebhookSigner } from './standard-webhooks-signature.js';
import type { NewDelivery, QueuedDelivery, WebhookQueue } from './webhook-queue.js';
import { retryDelayMs } from './webhook-retry-schedule.js';
import { type WebhookTarget, webhookTargets } from './webhook-target.js';

export { CLOUDEVENTS_JSON, DEFAULT_WEBHOOK_TIMEOUT_MS } from './signed-webhook-post.js';

export interface WebhookEventPublisherOptions {
  /** https:// URLs; http:// only for localhost. */
  readonly urls: readonly string[];
  /** Base64 of the key, with or without `whsec_`; shared with every receiver. */
  readonly secret: string;
  /** Where deliveries a target did not take wait for their retry. */
  readonly queue: WebhookQueue;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Per attempt, the receiver's answer included. @default DEFAULT_WEBHOOK_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Deliveries in flight at once per target. @default 4 */
  readonly concurrency?: number;
  /** Signs the `webhook-timestamp` and paces retries. @default () => new Date() */
  readonly now?: () => Date;
  readonly userAgent?: string;
  /** Told when a target starts or stops failing, is disabled, or an event is given up. */
  readonly onNotice?: (notice: WebhookNotice) => void;
}

export interface WebhookNotice {
  /** `webhook 2 (https://hooks.example.com)`. */
  readonly webhook: string;
  readonly kind: 'queued' | 'caught-up' | 'disabled' | 'gave-up';
  readonly message: string;
}

export interface WebhookTargetStatus {
  readonly webhook: string;
  readonly queued: number;
  readonly disabled: boolean;
}

export interface WebhookEventPublisher extends EventPublisher {
  /** Tries each target's queued deliveries that are due, oldest first. */
  retryDue(): Promise<void>;
  status(): WebhookTargetStatus[];
}

interface TargetState extends WebhookTarget {
  /** The queue key: a hash of the URL, which may hold a token. */
  readonly key: string;
  disabled: boolean;
  /** After a failure for want of health, nothing is sent to the target before this (ms since the epoch). */
  pausedUntil: number;
  /** Work on one target runs one at a time, so its queue keeps its order. */
  busy: Promise<void>;
}

const DUE_BATCH = 100;

export function createWebhookEventPublisher(options: WebhookEventPublisherOptions): WebhookEventPublisher {
  const { queue } = options;
  const targets: TargetState[] = webhookTargets(options.urls).map((target) => {
    const key = createHash('sha256').update(target.url.href).digest('hex');
    // A pause of the previous run still holds: its queued deliveries go first.
    return { ...target, key, disabled: false, pausedUntil: queue.pausedUntil(key), busy: Promise.resolve() };
  });
  const signer = createWebhookSigner(options.secret);
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const concurrency = options.concurrency ?? 4;
  const now = options.now ?? (() => new Date());
  const userAgent = options.userAgent ?? WEBHOOK_USER_AGENT;
  const notify = (target: TargetState, kind: WebhookNotice['kind'], message: string) =>
    options.onNotice?.({ webhook: target.label, kind, message: `${target.label}: ${message}` });

  const attempt = (target: TargetState, id: string, body: string) =>
    postSignedWebhook({
      url: target.url,
      id,
      body,
      signer,
      fetch,
      now,
      timeoutMs,
      userAgent,
      alsoHide: [options.secret],
    });

  function disable(target: TargetState): void {
    target.disabled = true;
    const dropped = queue.clear(target.key);
    const queued = dropped > 0 ? `; its ${plural(dropped, 'queued event')} were dropped` : '';
    notify(
      target,
      'disabled',
      `answered 410 Gone, so it gets nothing more until the next start${queued}. Remove its --webhook if it is gone for good.`,
    );
  }

  /** The delivery as queued after a failed attempt (or, with no failure, one not attempted yet). */
  function queuedAfter(
    delivery: Pick<QueuedDelivery, 'eventId' | 'body' | 'attempts' | 'firstFailedAt'>,
    failure: AttemptFailure | undefined,
    at: number,
  ): NewDelivery | undefined {
    const attempts = delivery.attempts + (failure === undefined ? 0 : 1);
    const delayMs = attempts === 0 ? 0 : retryDelayMs(attempts, failure?.retryAfterMs);
    if (delayMs === undefined) return undefined;
    return {
      eventId: delivery.eventId,
      body: delivery.body,
      attempts,
      firstFailedAt: delivery.firstFailedAt,
      nextAttemptAt: at + delayMs,
      lastError: failure?.reason ?? 'waiting behind an earlier delivery',
    };
  }

  /** New events for a target with nothing queued: sent at once, what fails is queued. */
  async function sendNew(target: TargetState, events: readonly ChangeEvent[]): Promise<void> {
    const outcomes = new Map<string, AttemptFailure | undefined>();
    let halted: AttemptFailure | undefined;
    const bodies = events.map((event) => ({ id: event.id, body: eventJson(event) }));
    await forEachBounded(bodies, concurrency, async ({ id, body }) => {
      if (halted !== undefined || target.disabled) return;
      const failure = await attempt(target, id, body);
      outcomes.set(id, failure);
      if (failure?.gone) target.disabled = true;
      else if (failure?.unhealthy) halted ??= failure;
    });
    if (target.disabled) {
      disable(target);
      return;
    }
    const at = now().getTime();
    const waiting = bodies.flatMap(({ id, body }) => {
      const tried = outcomes.has(id);
      const failure = outcomes.get(id);
      if (tried && failure === undefined) return [];
      const queued = queuedAfter({ eventId: id, body, attempts: 0, firstFailedAt: at }, failure, at);
      return queued === undefined ? [] : [queued];
    });
    if (waiting.length === 0) return;
    queue.add(target.key, waiting);
    if (halted !== undefined) {
      // A target down as a whole waits as a whole: its queue keeps its order, and it is not hammered.
      target.pausedUntil = at + (retryDelayMs(1, halted.retryAfterMs) ?? 0);
      queue.postpone(target.key, target.pausedUntil);
    }
    const first = [...outcomes.values()].find((failure) => failure !== undefined);
    reportQueued(target, first?.reason ?? 'not attempted');
  }

  /** The target's queue, oldest first, until it is empty, nothing more is due, or the target fails. */
  async function drain(target: TargetState): Promise<void> {
    let delivered = 0;
    for (;;) {
      const due = queue.due(target.key, now().getTime(), DUE_BATCH);
      if (due.length === 0) break;
      let halted = false;
      for (const delivery of due) {
        const failure = await attempt(target, delivery.eventId, delivery.body);
        if (failure === undefined) {
          queue.remove(target.key, delivery.seq);
          delivered += 1;
          continue;
        }
        if (failure.gone) return disable(target);
        const next = retryLater(target, delivery, failure);
        if (failure.unhealthy) {
          target.pausedUntil = next ?? now().getTime();
          queue.postpone(target.key, target.pausedUntil);
        }
        reportQueued(target, failure.reason);
        if (failure.unhealthy) {
          halted = true;
          break;
        }
      }
      if (halted) break;
    }
    if (delivered > 0 && queue.summary(target.key).count === 0) {
      notify(target, 'caught-up', `took the ${plural(delivered, 'queued event')}; delivering as usual again`);
    }
  }

  /** Reschedules a delivery that failed, or gives it up; returns when it is tried next. */
  function retryLater(
    target: TargetState,
    delivery: QueuedDelivery,
    failure: AttemptFailure,
  ): number | undefined {
    const at = now().getTime();
    const next = queuedAfter(delivery, failure, at);
    if (next === undefined) {
      queue.remove(target.key, delivery.seq);
      const hours = Math.round((at - delivery.firstFailedAt) / 3_600_000);
      notify(
        target,
        'gave-up',
        `gave up on event ${delivery.eventId} after ${delivery.attempts + 1} attempts over ${hours} h (last: ${failure.reason})`,
      );
      return undefined;
    }
    queue.reschedule(target.key, delivery.seq, next);
    return next.nextAttemptAt;
  }

  function reportQueued(target: TargetState, reason: string): void {
    const { count, nextAttemptAt } = queue.summary(target.key);
    if (count === 0) return;
    const inSeconds = Math.max(0, Math.ceil(((nextAttemptAt ?? 0) - now().getTime()) / 1000));
    notify(
      target,
      'queued',
      `${reason}; ${plural(count, 'event')} queued for it, next attempt in ${inSeconds} s (the other outputs are not held up)`,
    );
  }

  /** Runs `work` after whatever else is under way for the target. */
  function serially(target: TargetState, work: () => Promise<void>): Promise<void> {
    const run = target.busy.then(work);
    target.busy = run.catch(() => undefined);
    return run;
  }

  return {
    async publish(events) {
      if (events.length === 0) return;
      await Promise.all(
        targets.map((target) =>
          serially(target, async () => {
            if (target.disabled) return;
            await drain(target);
            if (target.disabled) return;
            if (queue.summary(target.key).count === 0) return sendNew(target, events);
            // Behind a backlog, new events wait their turn: the queue keeps the order they were published in.
            const at = now().getTime();
            const nextAttemptAt = Math.max(at, target.pausedUntil);
            queue.add(
              target.key,
              events.map((event) => ({
                eventId: event.id,
                body: eventJson(event),
                attempts: 0,
                firstFailedAt: at,
                nextAttemptAt,
                lastError: 'waiting behind earlier deliveries',
              })),
            );
          }),
        ),
      );
    },
    async retryDue() {
      await Promise.all(
        targets.map((target) => serially(target, async () => (target.disabled ? undefined : drain(target)))),
      );
    },
    status: () =>
      targets.map((target) => ({
        webhook: target.label,
        queued: queue.summary(target.key).count,
        disabled: target.disabled,
      })),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
