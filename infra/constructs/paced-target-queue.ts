/**
 * The delivery pattern of every target that must be paced (a Slack webhook, a digest email, a deployed
 * webhook): an SQS queue of the target's own subscribed to the change topic (the target's filter as
 * the subscription's filter policy, raw delivery so the worker reads each event's JSON as the message
 * body), drained by a worker Lambda through an event source mapping with a batching window and a
 * bounded concurrency, and reporting partial batch failures.
 *
 * While the target is slow or down, messages wait in the queue: a worker hands back what it could not
 * deliver (`batchItemFailures`), and SQS shows it again after the visibility timeout. Only after
 * `maxReceiveCount` receives, sized here so that `outageTolerance` (24 h by default) passes first, does
 * a message move to the dead-letter queue, which the stack alarms on like every other one
 * (`labelledDeadLetterQueue`, handed to Monitoring). The queue keeps a message longer than that, since
 * SQS deletes, without any dead-letter queue, what outlives its retention.
 *
 * The worker side is shared/delivery/drain-to-paced-target.ts.
 * Layer: infrastructure.
 */
import { Duration } from 'aws-cdk-lib';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createHoldingQueue } from './holding-queue.js';
import type { LabelledQueue } from './notifications.js';
import type { CdkFilterPolicy } from './subscription-filter-policy.js';

/** Time for the queue to keep a message after its last possible receive: an operator's working day. */
const RETENTION_MARGIN = Duration.hours(8);
/** AWS's advice for an SQS event source: at least six times the function's timeout. */
export const VISIBILITY_PER_TIMEOUT = 6;
/** How long a target may be down without losing or dead-lettering a message, unless told otherwise. */
export const DEFAULT_OUTAGE_TOLERANCE = Duration.hours(24);
/** SQS limits. */
const MAX_RECEIVE_COUNT = 1000;
const MAX_RETENTION = Duration.days(14);
const MAX_VISIBILITY = Duration.hours(12);
/** Lambda's limits for an SQS event source (standard queue). */
const MAX_BATCH_SIZE = 10_000;
const MAX_BATCHING_WINDOW = Duration.minutes(5);
const MIN_CONCURRENCY = 2;
const MAX_CONCURRENCY = 1000;

export interface PacedTargetQueueProps {
  /** The topic the target's events come from. */
  readonly topic: ITopic;
  /** How alarms and the dashboard name the target, e.g. `Slack target "deals"`. */
  readonly label: string;
  /** Drains the queue; its handler returns `{ batchItemFailures }` (drainToPacedTarget). */
  readonly worker: IFunction;
  /**
   * Which events this target gets (from `subscriptionFilterPolicy`).
   * @default - every event
   */
  readonly filterPolicy?: CdkFilterPolicy;
  /**
   * Most messages in one invocation; more than 10 needs a batching window.
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers messages before it invokes the worker with fewer than `batchSize`:
   * the longest a single change waits, and what turns a burst into few batches. At most 5 minutes.
   * @default Duration.seconds(20)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most invocations of the worker at once for this queue (Lambda allows no fewer than 2).
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * How long the target may be down without losing or dead-lettering a message.
   * @default Duration.hours(24)
   */
  readonly outageTolerance?: Duration;
  /**
   * How long a message handed back by the worker stays hidden before it is received again; at least
   * the worker's timeout.
   * @default - six times the worker's timeout (AWS's advice); required when the worker's timeout is unknown
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives before a message moves to the dead-letter queue; times `visibilityTimeout` it must
   * cover `outageTolerance`.
   * @default - the fewest that cover `outageTolerance` plus one hour
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the queue keeps a message; must outlast `maxReceiveCount × visibilityTimeout`.
   * @default - that time plus 8 hours, at least 4 days (SQS's own default)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long the dead-letter queue keeps a message. SQS counts it from the message's first enqueue,
   * so it must outlast `retentionPeriod`.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly deadLetterRetention?: Duration;
}

export class PacedTargetQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** The dead-letter queue with the target's label, for Monitoring's alarms and dashboard. */
  public readonly labelledDeadLetterQueue: LabelledQueue;
  public readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: PacedTargetQueueProps) {
    super(scope, id);
    const settings = settingsOf(props);

    this.deadLetterQueue = createHoldingQueue(
      this,
      'DeadLetters',
      "This queue is the dead-letter queue of a paced target's delivery queue (its redrive policy) and of " +
        "that queue's SNS subscription; cdk-nag sees neither as a source. A DLQ of a DLQ would only move " +
        'undelivered notifications again.',
      settings.deadLetterRetention,
    );
    this.labelledDeadLetterQueue = { label: props.label, queue: this.deadLetterQueue };

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: settings.retentionPeriod,
      visibilityTimeout: settings.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });
    // Raw delivery: the body is the CloudEvents document itself; the filter still sees the attributes.
    props.topic.addSubscription(
      new SqsSubscription(this.queue, {
        filterPolicy: props.filterPolicy,
        rawMessageDelivery: true,
        deadLetterQueue: this.deadLetterQueue,
      }),
    );

    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow: settings.maxBatchingWindow,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    });
    props.worker.addEventSource(this.eventSource);
  }
}

interface Settings {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly maxConcurrency: number;
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly retentionPeriod: Duration;
  readonly deadLetterRetention: Duration;
}

/** The fewest receives, one per visibility timeout, that cover the outage tolerance plus one hour. */
export function defaultMaxReceiveCount(outageTolerance: Duration, visibilityTimeout: Duration): number {
  return Math.ceil(
    (outageTolerance.toSeconds() + Duration.hours(1).toSeconds()) / visibilityTimeout.toSeconds(),
  );
}

/** The props with their defaults, or an error listing every problem. */
function settingsOf(props: PacedTargetQueueProps): Settings {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const batchSize = props.batchSize ?? 100;
  const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(20);
  const maxConcurrency = props.maxConcurrency ?? MIN_CONCURRENCY;
  const outage = props.outageTolerance ?? DEFAULT_OUTAGE_TOLERANCE;
  const workerTimeout = props.worker instanceof LambdaFunction ? props.worker.timeout : undefined;
  const visibilityTimeout =
    props.visibilityTimeout ??
    (workerTimeout === undefined
      ? undefined
      : Duration.seconds(workerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT));
  if (visibilityTimeout === undefined) {
    throw new Error(
      `PacedTargetQueue ${props.label}: give visibilityTimeout, the worker's timeout is unknown`,
    );
  }
  const visibility = visibilityTimeout.toSeconds();
  const maxReceiveCount = props.maxReceiveCount ?? defaultMaxReceiveCount(outage, visibilityTimeout);
  const redriveSeconds = maxReceiveCount * visibility;
  const retentionPeriod =
    props.retentionPeriod ??
    Duration.seconds(Math.max(Duration.days(4).toSeconds(), redriveSeconds + RETENTION_MARGIN.toSeconds()));
  const deadLetterRetention = props.deadLetterRetention ?? MAX_RETENTION;

  check(
    Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH_SIZE,
    `batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}`,
  );
  check(
    maxBatchingWindow.toSeconds() <= MAX_BATCHING_WINDOW.toSeconds(),
    'maxBatchingWindow must be at most 5 minutes',
  );
  check(
    batchSize <= 10 || maxBatchingWindow.toSeconds() > 0,
    'a batchSize above 10 needs a maxBatchingWindow',
  );
  check(
    Number.isInteger(maxConcurrency) &&
      maxConcurrency >= MIN_CONCURRENCY &&
      maxConcurrency <= MAX_CONCURRENCY,
    `maxConcurrency must be a whole number from ${MIN_CONCURRENCY} to ${MAX_CONCURRENCY}`,
  );
  check(visibility <= MAX_VISIBILITY.toSeconds(), 'visibilityTimeout must be at most 12 hours');
  check(
    workerTimeout === undefined || visibility >= workerTimeout.toSeconds(),
    "visibilityTimeout must be at least the worker's timeout, or a message is received twice at once",
  );
  check(
    Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1 && maxReceiveCount <= MAX_RECEIVE_COUNT,
    `maxReceiveCount must be a whole number from 1 to ${MAX_RECEIVE_COUNT}`,
  );
  check(
    redriveSeconds >= outage.toSeconds(),
    `maxReceiveCount × visibilityTimeout (${hours(redriveSeconds)}) must cover the outage tolerance (${hours(outage.toSeconds())})`,
  );
  check(
    retentionPeriod.toSeconds() > redriveSeconds && retentionPeriod.toSeconds() <= MAX_RETENTION.toSeconds(),
    `retentionPeriod must be longer than maxReceiveCount × visibilityTimeout (${hours(redriveSeconds)}) and at most 14 days, ` +
      'or SQS deletes messages that were never delivered',
  );
  check(
    deadLetterRetention.toSeconds() > retentionPeriod.toSeconds() &&
      deadLetterRetention.toSeconds() <= MAX_RETENTION.toSeconds(),
    'deadLetterRetention must be longer than retentionPeriod (SQS counts it from the first enqueue) and at most 14 days',
  );
  if (problems.length > 0) throw new Error(`PacedTargetQueue ${props.label}: ${problems.join('; ')}`);
  return {
    batchSize,
    maxBatchingWindow,
    maxConcurrency,
    visibilityTimeout,
    maxReceiveCount,
    retentionPeriod,
    deadLetterRetention,
  };
}

function hours(seconds: number): string {
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}
