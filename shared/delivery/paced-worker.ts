/**
 * A worker Lambda of a paced target (infra/constructs/paced-target-queue.ts), whatever the target:
 * reads the SQS batch, lets the caller plan its deliveries, drains them to the target with
 * `drainToPacedTarget` and answers with the messages to return to the queue. The composition roots
 * (lambdas/*-worker) only say how to render and where to send.
 * Layer: delivery.
 */
import type { BatchPlan } from './batch-deliveries.js';
import {
  type BatchResponse,
  type DrainClock,
  drainToPacedTarget,
  type PacedTarget,
  type PacingOptions,
  toBatchResponse,
} from './drain-to-paced-target.js';
import { type QueuedMessage, sqsMessagesOf } from './sqs-batch.js';

/** Left of the invocation after the last send may start, to log and answer before the timeout. */
const ANSWER_MARGIN_MS = 2_000;

export interface WorkerLog {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface PacedWorkerOptions<P> {
  /** The target's name in log lines, e.g. `Slack`. */
  readonly targetName: string;
  plan(messages: readonly QueuedMessage[]): BatchPlan<P>;
  /** The target to send to; may read a secret (a failure fails the whole batch, to be tried again). */
  target(): Promise<PacedTarget<P>>;
  readonly pacing: PacingOptions;
  readonly clock: DrainClock;
  readonly log: WorkerLog;
  readonly random?: () => number;
}

export interface LambdaTime {
  getRemainingTimeInMillis(): number;
}

/** Time a worker may still start sends in: the invocation's, less the margin to log and answer. */
export function sendTimeLeft(context: LambdaTime): () => number {
  return () => context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
}

export function createPacedWorker<P>(options: PacedWorkerOptions<P>) {
  const { log, targetName } = options;
  return async (event: unknown, context: LambdaTime): Promise<BatchResponse> => {
    const messages = sqsMessagesOf(event);
    const plan = options.plan(messages);
    for (const { messageId, reason } of plan.unreadable) {
      log.error(
        'Message is no change event; it goes back to the queue and in the end to the dead-letter queue',
        {
          messageId,
          reason,
        },
      );
    }
    const target = plan.deliveries.length > 0 ? await options.target() : undefined;
    const result =
      target === undefined
        ? undefined
        : await drainToPacedTarget({
            deliveries: plan.deliveries,
            target,
            pacing: options.pacing,
            clock: options.clock,
            remainingTimeMs: sendTimeLeft(context),
            random: options.random,
            onPause: (notice) => log.warn(`${targetName} asked to wait; pausing the target`, { ...notice }),
            onRejected: ({ reason, messageIds }) =>
              log.error(`${targetName} refused a message; its events go back to the queue`, {
                reason,
                messageIds,
              }),
          });
    const failed = [...plan.unreadable.map((m) => m.messageId), ...(result?.failedMessageIds ?? [])];
    log.info(`Delivered change events to ${targetName}`, {
      messages: messages.length,
      events: plan.events,
      sent: result?.delivered ?? 0,
      attempts: result?.sends ?? 0,
      retries: result?.retries ?? 0,
      returnedToQueue: failed.length,
    });
    return toBatchResponse(failed);
  };
}
