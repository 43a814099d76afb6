/**
 * One SQS batch of a deployed webhook endpoint, delivered (docs/webhooks.md):
 *  - each event is POSTed as the local mode posts it (postSignedWebhook), paced to the endpoint's share of
 *    `maxPerSecond` (drainToPacedTarget);
 *  - `2xx`: delivered, and Lambda deletes the message;
 *  - no answer, 408, 429, 5xx: the endpoint is down, so this invocation sends it nothing more; the event
 *    and every one not sent yet wait in the queue (ChangeMessageVisibility) until the next attempt of the
 *    retry schedule (webhook-retry-plan.ts), for up to 3 days, then go to the dead-letter queue;
 *  - another 3xx or 4xx: this event is retried on the same schedule a few times, then dead-lettered;
 *  - `410 Gone`: the endpoint is disabled (recorded in the state table) and this batch and every later
 *    one go to the dead-letter queue, kept there for a redrive once an operator re-enables it.
 * Layer: delivery (the receiver, the queue, the state and the clock are ports).
 */
import type { WebhookEndpointState } from '../adapters/dynamodb/dynamodb-webhook-endpoint-state.js';
import { postSignedWebhook, type WebhookAttemptFailure } from '../adapters/webhook/signed-webhook-post.js';
import type { WebhookSigner } from '../adapters/webhook/standard-webhooks-signature.js';
import {
  type BatchResponse,
  type DrainClock,
  drainToPacedTarget,
  type SendOutcome,
  toBatchResponse,
} from './drain-to-paced-target.js';
import type { QueuedMessage } from './sqs-batch.js';
import { GIVE_UP_AFTER_SECONDS, retryDecision, WEBHOOK_RETRY_WAITS_SECONDS } from './webhook-retry-plan.js';

const DISABLED_REASON = 'endpoint disabled (410 Gone)';

export interface WaitingMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly afterSeconds: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly reason: string;
}

/** The endpoint's delivery queue and its dead-letter queue. */
export interface EndpointQueues {
  /** Hides each message for its own time (ChangeMessageVisibility). */
  waitBeforeRetry(messages: readonly WaitingMessage[]): Promise<void>;
  /** Copies the messages to the dead-letter queue; resolves to the ids of those copied. */
  deadLetter(messages: readonly DeadLetter[]): Promise<ReadonlySet<string>>;
}

export interface WebhookEndpoint {
  readonly name: string;
  readonly url: URL;
  readonly maxPerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export interface WebhookBatchDependencies {
  readonly endpoint: WebhookEndpoint;
  readonly signer: () => Promise<WebhookSigner>;
  readonly state: WebhookEndpointState;
  readonly queues: EndpointQueues;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: DrainClock;
  readonly remainingTimeMs: () => number;
}

export interface WebhookBatchReport extends BatchResponse {
  readonly delivered: number;
  readonly sends: number;
  readonly waiting: number;
  readonly deadLettered: number;
  /** Set when the endpoint is disabled: when it was, and whether this batch did it. */
  readonly disabled?: { readonly since: string; readonly now: boolean };
  /** The first failure of the batch, for the log (names no URL path). */
  readonly firstFailure?: string;
}

export async function deliverWebhookBatch(
  messages: readonly QueuedMessage[],
  deps: WebhookBatchDependencies,
): Promise<WebhookBatchReport> {
  const { endpoint, clock } = deps;
  const disabledSince = await deps.state.disabledSince();
  if (disabledSince !== undefined) {
    const moved = await deps.queues.deadLetter(
      messages.map(({ messageId, body }) => ({ messageId, body, reason: DISABLED_REASON })),
    );
    return {
      ...toBatchResponse(messages.map((m) => m.messageId).filter((id) => !moved.has(id))),
      delivered: 0,
      sends: 0,
      waiting: 0,
      deadLettered: moved.size,
      disabled: { since: disabledSince, now: false },
    };
  }

  const signer = await deps.signer();
  const failures = new Map<string, WebhookAttemptFailure>();
  const target = {
    async send(message: QueuedMessage): Promise<SendOutcome> {
      const failure = await postSignedWebhook({
        url: endpoint.url,
        id: eventIdOf(message),
        body: message.body,
        signer,
        fetch: deps.fetch,
        now: () => new Date(clock.now()),
        timeoutMs: endpoint.timeoutMs,
      });
      if (failure === undefined) return { kind: 'delivered' };
      failures.set(message.messageId, failure);
      // Down or gone: nothing more is sent in this invocation (no retry pause).
      if (failure.unhealthy || failure.gone) return { kind: 'retry', reason: failure.reason };
      return { kind: 'rejected', reason: failure.reason };
    },
  };
  const drained = await drainToPacedTarget({
    deliveries: messages.map((message) => ({ payload: message, messageIds: [message.messageId] })),
    target,
    pacing: {
      minIntervalMs: (1000 * endpoint.concurrency) / endpoint.maxPerSecond,
      sendTimeoutMs: endpoint.timeoutMs,
    },
    clock,
    remainingTimeMs: deps.remainingTimeMs,
  });

  const now = clock.now();
  const gone = [...failures.values()].find((failure) => failure.gone);
  if (gone !== undefined) await deps.state.disable({ at: new Date(now), reason: gone.reason });
  const plan = planUndelivered(
    messages.filter((m) => drained.failedMessageIds.includes(m.messageId)),
    failures,
    gone !== undefined,
    now,
  );
  await deps.queues.waitBeforeRetry(plan.waiting);
  const moved = await deps.queues.deadLetter(plan.deadLetters);
  const stillQueued = drained.failedMessageIds.filter((id) => !moved.has(id));
  return {
    ...toBatchResponse(stillQueued),
    delivered: drained.delivered,
    sends: drained.sends,
    waiting: plan.waiting.length,
    deadLettered: moved.size,
    ...(gone === undefined ? {} : { disabled: { since: new Date(now).toISOString(), now: true } }),
    ...(failures.size === 0 ? {} : { firstFailure: [...failures.values()][0]?.reason }),
  };
}

interface UndeliveredPlan {
  readonly waiting: WaitingMessage[];
  readonly deadLetters: DeadLetter[];
}

/** Where each message not delivered goes: back to the queue for a while, or to the dead-letter queue. */
function planUndelivered(
  undelivered: readonly QueuedMessage[],
  failures: ReadonlyMap<string, WebhookAttemptFailure>,
  gone: boolean,
  nowMs: number,
): UndeliveredPlan {
  const plan: UndeliveredPlan = { waiting: [], deadLetters: [] };
  const ageOf = (message: QueuedMessage) => Math.max(0, (nowMs - (message.sentAt ?? nowMs)) / 1000);
  // The endpoint is down: what was not sent waits as long as the event that found it down.
  const down = [...failures.entries()].find(([, failure]) => failure.unhealthy);
  const downMessage = undelivered.find((m) => m.messageId === down?.[0]);
  const pause =
    down === undefined || downMessage === undefined
      ? undefined
      : retryDecision({ kind: 'unhealthy', retryAfterMs: down[1].retryAfterMs }, ageOf(downMessage));
  for (const message of undelivered) {
    const { messageId, body } = message;
    if (gone) {
      plan.deadLetters.push({ messageId, body, reason: DISABLED_REASON });
      continue;
    }
    const failure = failures.get(messageId);
    const decision =
      failure !== undefined
        ? retryDecision(
            { kind: failure.unhealthy ? 'unhealthy' : 'refused', retryAfterMs: failure.retryAfterMs },
            ageOf(message),
          )
        : unsentDecision(pause, ageOf(message));
    if (decision.kind === 'dead-letter') plan.deadLetters.push({ messageId, body, reason: decision.reason });
    else if (message.receiptHandle !== undefined)
      plan.waiting.push({
        messageId,
        receiptHandle: message.receiptHandle,
        afterSeconds: decision.afterSeconds,
      });
  }
  return plan;
}

/** A message not sent: it waits out the endpoint's pause, or comes back at once when time ran out. */
function unsentDecision(pause: ReturnType<typeof retryDecision> | undefined, ageSeconds: number) {
  const afterSeconds =
    pause === undefined ? 0 : pause.kind === 'retry' ? pause.afterSeconds : WEBHOOK_RETRY_WAITS_SECONDS[0];
  if (ageSeconds + afterSeconds > GIVE_UP_AFTER_SECONDS) {
    return { kind: 'dead-letter', reason: 'not taken within 3 days' } as const;
  }
  return { kind: 'retry', afterSeconds } as const;
}

/** The CloudEvents id, the receiver's `webhook-id`; a body that is not an event keeps its message id. */
function eventIdOf(message: QueuedMessage): string {
  try {
    const id = (JSON.parse(message.body) as { id?: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 256) return id;
  } catch {
    // Not JSON: still delivered, under the SQS message id, so the receiver can refuse it.
  }
  return message.messageId;
}
