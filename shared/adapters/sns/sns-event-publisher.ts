/**
 * EventPublisher on SNS: PublishBatch with up to 10 messages a call and several calls in flight.
 * Layer: adapter.
 *  1. turn each event into its message, shrunk (never dropped) when it would pass the payload limit
 *     (`fitForTransport`, which the core calls before recording the event, so the message is built once);
 *  2. pack messages into batches of at most 10 that together stay under the payload limit;
 *  3. per batch, resend only the entries SNS failed (and the whole call when it failed transiently),
 *     pacing retries with backoff;
 *  4. throw one PublishError naming every event still not accepted: a publish never half-succeeds quietly.
 */
import {
  PublishBatchCommand,
  type PublishBatchCommandOutput,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { ChangeEvent } from '../../core/change-event.js';
import { fitEvent } from '../../core/fit-event.js';
import type { AbortOptions, EventPublisher } from '../../core/ports.js';
import { type BackoffPolicy, backoffDelayMs, retryPacingOf, type Sleep } from '../../support/backoff.js';
import { untilAborted } from '../../support/deadline.js';
import { forEachBounded } from '../../support/for-each-bounded.js';
import { isTransientAwsError } from '../aws/transient-aws-error.js';
import { PublishError, type PublishFailure } from './publish-error.js';
import { type SnsMessage, type SnsMessageOptions, snsMessageSizeBytes, toSnsMessage } from './sns-message.js';

export const PUBLISH_BATCH_MAX_ENTRIES = 10;
/** SNS's default MaximumMessageSize: the limit of one message and of a whole batch together. */
export const SNS_DEFAULT_MAX_PAYLOAD_BYTES = 262_144;

export interface SnsEventPublisherOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /**
   * The topic's MaximumMessageSize: no message, and no batch's messages together, may exceed it.
   * @default SNS_DEFAULT_MAX_PAYLOAD_BYTES (256 KiB)
   */
  readonly maxPayloadBytes?: number;
  /** Pacing of retries of failed entries and transiently failed calls. @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** PublishBatch calls in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Called before every request to SNS with its operation name, e.g. to count requests. */
  readonly onRequest?: (operation: string) => void;
  /** Write the readable text for `email` subscriptions into each message. @default true */
  readonly emailText?: boolean;
}

interface Outgoing {
  readonly event: ChangeEvent;
  readonly message: SnsMessage;
  readonly bytes: number;
}

interface BatchOutcome {
  readonly failures: readonly PublishFailure[];
  readonly cause?: unknown;
}

export function createSnsEventPublisher(options: SnsEventPublisherOptions): EventPublisher {
  const { client, topicArn } = options;
  const maxPayloadBytes = options.maxPayloadBytes ?? SNS_DEFAULT_MAX_PAYLOAD_BYTES;
  const concurrency = options.concurrency ?? 4;
  const { backoff: policy, sleep, random } = retryPacingOf(options);
  const onRequest = options.onRequest ?? (() => {});
  const messageOptions: SnsMessageOptions = { emailText: options.emailText };
  validateOptions(topicArn, maxPayloadBytes, concurrency);

  // Messages built while fitting, reused when the same (fitted) event is published.
  const built = new WeakMap<ChangeEvent, Outgoing>();

  function fitForTransport(original: ChangeEvent): ChangeEvent {
    return outgoingOf(original).event;
  }

  function outgoingOf(original: ChangeEvent): Outgoing {
    const known = built.get(original);
    if (known !== undefined) return known;
    let measured: Outgoing | undefined;
    const event = fitEvent(original, (candidate) => {
      const message = toSnsMessage(candidate, messageOptions);
      measured = { event: candidate, message, bytes: snsMessageSizeBytes(message) };
      return measured.bytes <= maxPayloadBytes;
    });
    const outgoing = measured?.event === event ? measured : measureMessage(event, messageOptions);
    built.set(original, outgoing);
    built.set(event, outgoing);
    return outgoing;
  }

  async function publish(events: readonly ChangeEvent[], publishOptions?: AbortOptions): Promise<void> {
    const signal = publishOptions?.signal;
    const outgoing = events.map(outgoingOf);
    const failures: PublishFailure[] = [];
    let cause: unknown;
    await forEachBounded(packBatches(outgoing, maxPayloadBytes), concurrency, async (batch) => {
      const outcome = await publishBatch(batch, signal);
      failures.push(...outcome.failures);
      cause ??= outcome.cause;
    });
    if (failures.length > 0)
      throw new PublishError(topicArn, failures, cause === undefined ? undefined : { cause });
  }

  async function publishBatch(batch: readonly Outgoing[], signal?: AbortSignal): Promise<BatchOutcome> {
    // Entry ids only need to be unique within one call; the position in the batch is.
    let pending = new Map(batch.map((item, index) => [`m${index}`, item]));
    const settled: PublishFailure[] = [];
    let lastFailures = new Map<string, PublishFailure>();
    let cause: unknown;
    for (let attempt = 1; pending.size > 0 && attempt <= policy.maxAttempts; attempt++) {
      let output: PublishBatchCommandOutput;
      try {
        if (attempt > 1)
          await untilAborted(sleep(backoffDelayMs(attempt - 1, policy, random), signal), signal);
        // Stopped: the entries not yet accepted fail, and the caller decides what to send again.
        if (signal?.aborted) throw signal.reason;
        onRequest('PublishBatch');
        output = await client.send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: toEntries(pending) }),
          { abortSignal: signal },
        );
      } catch (e: unknown) {
        cause = e;
        lastFailures = new Map([...pending].map(([id, item]) => [id, callFailure(item, e)]));
        if (signal?.aborted || !isTransientAwsError(e)) break;
        continue;
      }
      cause = undefined;
      const answer = sortAnswer(pending, output);
      settled.push(...answer.senderFaults);
      pending = answer.retryable;
      lastFailures = answer.failures;
    }
    const unresolved = [...pending].map(
      ([id, item]) => lastFailures.get(id) ?? { eventId: item.event.id, code: 'NotAttempted' },
    );
    return { failures: [...settled, ...unresolved], cause };
  }

  return { fitForTransport, publish };
}

function measureMessage(event: ChangeEvent, options: SnsMessageOptions): Outgoing {
  const message = toSnsMessage(event, options);
  return { event, message, bytes: snsMessageSizeBytes(message) };
}

function validateOptions(topicArn: string, maxPayloadBytes: number, concurrency: number): void {
  if (topicArn.trim() === '') throw new TypeError('SNS event publisher: topicArn must not be empty');
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes <= 0) {
    throw new RangeError(
      `SNS event publisher: maxPayloadBytes must be a positive whole number, got ${maxPayloadBytes}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `SNS event publisher: concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
}

/** Sorts the entries of one answer: accepted ones drop out, failed ones are worth resending or not. */
function sortAnswer(pending: ReadonlyMap<string, Outgoing>, output: PublishBatchCommandOutput) {
  const accepted = new Set((output.Successful ?? []).map((entry) => entry.Id));
  const failedById = new Map((output.Failed ?? []).map((entry) => [entry.Id, entry]));
  const retryable = new Map<string, Outgoing>();
  const failures = new Map<string, PublishFailure>();
  const senderFaults: PublishFailure[] = [];
  for (const [id, item] of pending) {
    if (accepted.has(id)) continue;
    // An entry SNS answered neither way was not accepted either.
    const failed = failedById.get(id);
    const failure: PublishFailure = {
      eventId: item.event.id,
      code: failed?.Code ?? 'NoResult',
      ...(failed?.Message ? { message: failed.Message } : {}),
    };
    // A sender fault (a malformed entry) fails the same way however often it is resent.
    if (failed?.SenderFault === true) {
      senderFaults.push({ ...failure, senderFault: true });
    } else {
      retryable.set(id, item);
      failures.set(id, failure);
    }
  }
  return { retryable, failures, senderFaults };
}

function toEntries(pending: ReadonlyMap<string, Outgoing>): PublishBatchRequestEntry[] {
  return [...pending].map(([id, item]) => ({ Id: id, ...item.message }));
}

/** Greedy packing in event order: a new batch starts at 10 entries or when the next message would not fit. */
function packBatches(outgoing: readonly Outgoing[], maxPayloadBytes: number): Outgoing[][] {
  const batches: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let currentBytes = 0;
  for (const item of outgoing) {
    if (current.length === PUBLISH_BATCH_MAX_ENTRIES || currentBytes + item.bytes > maxPayloadBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += item.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function callFailure(item: Outgoing, e: unknown): PublishFailure {
  return {
    eventId: item.event.id,
    code: e instanceof Error ? e.name : 'UnknownError',
    ...(e instanceof Error && e.message ? { message: e.message } : {}),
  };
}
