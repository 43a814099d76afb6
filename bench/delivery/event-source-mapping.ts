/**
 * A model of a paced target's queue and its Lambda event source mapping (paced-target-queue.ts), on a
 * simulated clock, to drive the real worker handlers through a burst:
 *  - a batch opens when a message is visible and closes when it holds `batchSize` messages or 6 MB
 *    (Lambda's payload limit), or when `maxBatchingWindowMs` has passed since it opened;
 *  - the worker is invoked with it as Lambda would (an SQS event, `getRemainingTimeInMillis` on the
 *    clock); what it hands back (`batchItemFailures`) is hidden for `visibilityTimeoutMs` and received
 *    again, and moves to the dead-letter queue on its `maxReceiveCount`th receive;
 *  - invocations run one after another. The deployed mapping allows two at once (maxConcurrency 2),
 *    which the simulated clock cannot run side by side: the figures are those of one worker.
 */
import type { Context } from 'aws-lambda';
import type { BatchResponse } from '../../shared/delivery/drain-to-paced-target.js';
import type { QueuedMessage } from '../../shared/delivery/sqs-batch.js';
import { sqsEventOf } from './burst-events.js';
import type { SimulatedClock } from './simulated-clock.js';

/** Lambda's limit on a synchronous invocation's payload, which ends a batch early. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface MappingSettings {
  readonly batchSize: number;
  readonly maxBatchingWindowMs: number;
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly functionTimeoutMs: number;
}

export type Worker = (event: unknown, context: Context) => Promise<BatchResponse>;

export interface Arrival {
  readonly message: QueuedMessage;
  /** When SNS put the message into the queue (ms on the clock). */
  readonly at: number;
}

export interface MappingOutcome {
  readonly invocations: number;
  /** Message ids the worker delivered, each once. */
  readonly delivered: readonly string[];
  readonly deadLettered: readonly string[];
  /** When the last message left the queue (ms on the clock). */
  readonly drainedAt: number;
  /** When each message was delivered (end of the invocation that delivered it), by id. */
  readonly deliveredAt: ReadonlyMap<string, number>;
}

interface Pending {
  readonly message: QueuedMessage;
  readonly bytes: number;
  visibleAt: number;
  receives: number;
}

export async function drainThroughMapping(
  arrivals: readonly Arrival[],
  settings: MappingSettings,
  worker: Worker,
  clock: SimulatedClock,
): Promise<MappingOutcome> {
  let pending: Pending[] = arrivals.map(({ message, at }) => ({
    message,
    bytes: Buffer.byteLength(message.body, 'utf8'),
    visibleAt: at,
    receives: 0,
  }));
  const deliveredAt = new Map<string, number>();
  const deadLettered: string[] = [];
  let invocations = 0;

  while (pending.length > 0) {
    pending.sort((a, b) => a.visibleAt - b.visibleAt);
    const openedAt = Math.max(clock.now(), pending[0]?.visibleAt ?? clock.now());
    clock.advance(closingTime(pending, openedAt, settings) - clock.now());
    const batch = takeBatch(pending, clock.now(), settings.batchSize);
    pending = pending.slice(batch.length);
    for (const entry of batch) entry.receives++;

    const startedAt = clock.now();
    invocations++;
    const response = await worker(
      sqsEventOf(batch.map((entry) => entry.message)),
      contextUntil(startedAt + settings.functionTimeoutMs, clock),
    );
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const entry of batch) {
      if (!failed.has(entry.message.messageId)) {
        deliveredAt.set(entry.message.messageId, clock.now());
      } else if (entry.receives >= settings.maxReceiveCount) {
        deadLettered.push(entry.message.messageId);
      } else {
        entry.visibleAt = startedAt + settings.visibilityTimeoutMs;
        pending.push(entry);
      }
    }
  }
  // The loop ends with the invocation that left the queue empty.
  return {
    invocations,
    delivered: [...deliveredAt.keys()],
    deadLettered,
    drainedAt: clock.now(),
    deliveredAt,
  };
}

/** When the batch opened at `openedAt` is handed over: full (count or bytes), or its window is over. */
function closingTime(sorted: readonly Pending[], openedAt: number, settings: MappingSettings): number {
  const windowEnd = openedAt + settings.maxBatchingWindowMs;
  let count = 0;
  let bytes = 0;
  for (const entry of sorted) {
    if (entry.visibleAt > windowEnd) break;
    count++;
    bytes += entry.bytes;
    if (count >= settings.batchSize || bytes >= MAX_PAYLOAD_BYTES) return Math.max(openedAt, entry.visibleAt);
  }
  return windowEnd;
}

/** The batch handed over at `now`: a leading run of `sorted`. */
function takeBatch(sorted: readonly Pending[], now: number, batchSize: number): Pending[] {
  const batch: Pending[] = [];
  let bytes = 0;
  for (const entry of sorted) {
    if (entry.visibleAt > now || batch.length >= batchSize) break;
    if (batch.length > 0 && bytes + entry.bytes > MAX_PAYLOAD_BYTES) break;
    batch.push(entry);
    bytes += entry.bytes;
  }
  return batch;
}

function contextUntil(deadline: number, clock: SimulatedClock): Context {
  return {
    functionName: 'bench-worker',
    awsRequestId: `bench-${deadline}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
  } as Context;
}
