/**
 * One email target with `"delivery": "digest"`: the target's queue subscribed to the change topic
 * (its filter as the subscription's filter policy; see paced-target-queue.ts for the queue, its
 * redrive and its dead-letter queue), drained by a worker Lambda that publishes a batch of one event as
 * today's email and a batch of several as one digest email to a topic of the target's own, whose only
 * subscription is the address. SNS stays the email transport: the address confirms its subscription
 * once, as it would for the change topic, and nobody sets up SES.
 *
 * One worker per target rather than one for all: each may publish to its own topic only, a target
 * whose topic refuses (a deleted subscription, a throttled account) holds up no other, and Lambda
 * costs nothing while idle.
 * Layer: infrastructure.
 */
import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MAX_DIGEST_MINUTES } from '../config/notifier-config.js';
import { acknowledgePublishKeyWildcard, EncryptedTopic } from './encrypted-topic.js';
import { createQueueWorkerFunction, type LogLevel, REPO_ROOT } from './notifier-function.js';
import { PacedTargetQueue } from './paced-target-queue.js';
import type { CdkFilterPolicy } from './subscription-filter-policy.js';

/** One publish, with a few pauses if SNS throttles; what does not fit waits in the queue. */
export const EMAIL_DIGEST_WORKER_TIMEOUT = Duration.seconds(30);
/** Room for a batch of up to 6 MB (Lambda's payload limit) and the digest made of it. */
const MEMORY_MB = 256;
/**
 * As many events in one digest as Lambda hands over at once: a batch ends at 10,000 messages, 6 MB
 * or the batching window (the target's interval), whichever comes first.
 */
export const EMAIL_DIGEST_BATCHING = { batchSize: 10_000, maxConcurrency: 2 } as const;

/** Shown as the sender of the emails: the inbox tells a digest from a single change's email. */
const EMAIL_DIGEST_SENDER = 'Midaxo change digest';

export interface EmailDigestProps {
  /** The change topic. */
  readonly topic: ITopic;
  readonly address: string;
  /** Minutes a digest gathers events for: the batching window, 1 to 5. */
  readonly digestMinutes: number;
  /** How alarms and the dashboard name the target. */
  readonly label: string;
  /**
   * Which events this target gets (from `subscriptionFilterPolicy`).
   * @default - every event
   */
  readonly filterPolicy?: CdkFilterPolicy;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class EmailDigest extends Construct {
  public readonly label: string;
  public readonly function: NodejsFunction;
  /** The target's own topic; its only subscription is the address. */
  public readonly emailTopic: Topic;
  /** The target's queue, its dead-letter queue and the worker's event source. */
  public readonly delivery: PacedTargetQueue;

  constructor(scope: Construct, id: string, props: EmailDigestProps) {
    super(scope, id);
    validate(props.digestMinutes);
    this.label = props.label;

    this.emailTopic = new EncryptedTopic(this, 'EmailTopic', { displayName: EMAIL_DIGEST_SENDER }).topic;
    this.emailTopic.addSubscription(new EmailSubscription(props.address));

    const lambda = createQueueWorkerFunction(this, {
      description: emailDigestDescription(props.address),
      entry: `${REPO_ROOT}lambdas/email-digest-worker/handler.ts`,
      memorySize: MEMORY_MB,
      timeout: EMAIL_DIGEST_WORKER_TIMEOUT,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;
    this.emailTopic.grantPublish(this.function);
    acknowledgePublishKeyWildcard(lambda.role);
    this.function.addEnvironment('DIGEST_TOPIC_ARN', this.emailTopic.topicArn);

    this.delivery = new PacedTargetQueue(this, 'Delivery', {
      topic: props.topic,
      label: props.label,
      worker: this.function,
      filterPolicy: props.filterPolicy,
      maxBatchingWindow: Duration.minutes(props.digestMinutes),
      ...EMAIL_DIGEST_BATCHING,
    });
  }
}

/** Lambda takes descriptions of up to 256 characters; an address is at most 254. */
export function emailDigestDescription(address: string): string {
  return `Emails digests of Midaxo change events to ${address}`.slice(0, 256);
}

/**
 * The config schema checks this for cdk.json; a construct built without it is checked here, in the prop's
 * own terms: PacedTargetQueue would take 1.5 minutes and name only its maxBatchingWindow or batchSize.
 */
function validate(digestMinutes: number): void {
  if (!Number.isInteger(digestMinutes) || digestMinutes < 1 || digestMinutes > MAX_DIGEST_MINUTES) {
    throw new Error(`EmailDigest: digestMinutes must be a whole number from 1 to ${MAX_DIGEST_MINUTES}`);
  }
}
