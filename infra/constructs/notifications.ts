/**
 * Subscriptions of the change topic, one per configured target, each optionally narrowed by a filter
 * policy on the message attributes the publisher sets. Machine targets (HTTPS, SQS) get a dead-letter
 * queue, so a message SNS gave up on is kept and alarmed on instead of lost.
 *
 * A new kind of target (Slack, through a forwarder Lambda) is one more case in `subscribe`: it gets
 * the same filter and dead-letter queue treatment.
 * Layer: infrastructure.
 */
import { createHash } from 'node:crypto';
import { Duration, Validations } from 'aws-cdk-lib';
import { BackoffFunction, type DeliveryPolicy, type ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  filterCombinations,
  MAX_FILTER_COMBINATIONS,
  type NotificationFilter,
  type NotificationTarget,
} from '../config/notifier-config.js';

/**
 * Message attribute names the SNS publisher sets (shared/adapters/sns/sns-message.ts); subscription
 * filter policies match on these.
 */
export const FILTER_ATTRIBUTES = {
  eventType: 'eventType',
  processId: 'processId',
  changedFields: 'changedFields',
} as const;

/**
 * Rides out a webhook that is down for a few minutes: 12 retries over roughly 20 minutes, backing off
 * from 5 s to 5 min (SNS caps a policy at one hour in all), then the message goes to the dead-letter queue.
 */
export const HTTPS_DELIVERY_POLICY: DeliveryPolicy = {
  healthyRetryPolicy: {
    numRetries: 12,
    numNoDelayRetries: 0,
    numMinDelayRetries: 1,
    numMaxDelayRetries: 2,
    minDelayTarget: Duration.seconds(5),
    maxDelayTarget: Duration.minutes(5),
    backoffFunction: BackoffFunction.EXPONENTIAL,
  },
  throttlePolicy: { maxReceivesPerSecond: 10 },
  requestPolicy: { headerContentType: 'application/json; charset=UTF-8' },
};

export interface NotificationsProps {
  readonly topic: ITopic;
  /**
   * Who is notified. More can subscribe after deploy (see docs/deploy.md).
   * @default - no subscriptions
   */
  readonly targets?: readonly NotificationTarget[];
  /**
   * How long a dead-letter queue keeps an undelivered message.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly deadLetterRetention?: Duration;
}

/** A dead-letter queue with a name an operator recognises in an alarm. */
export interface LabelledQueue {
  readonly label: string;
  readonly queue: IQueue;
}

export class Notifications extends Construct {
  /** One per HTTPS and SQS target, in the order of the targets. */
  public readonly deadLetterQueues: readonly LabelledQueue[];
  private readonly deadLetterRetention: Duration;
  private readonly queues: LabelledQueue[] = [];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const targets = props.targets ?? [];
    this.deadLetterRetention = props.deadLetterRetention ?? Duration.days(14);
    validateTargets(targets);
    const retentionDays = this.deadLetterRetention.toDays({ integral: false });
    if (retentionDays > 14 || this.deadLetterRetention.toSeconds() < 60) {
      throw new Error('Notifications: deadLetterRetention must be from 1 minute to 14 days');
    }

    for (const target of targets) this.subscribe(props.topic, target);
    this.deadLetterQueues = this.queues;
  }

  private subscribe(topic: ITopic, target: NotificationTarget): void {
    const filterPolicy = filterPolicyOf(target.filter);
    const id = targetId(target);
    switch (target.type) {
      case 'email':
        topic.addSubscription(new EmailSubscription(target.address, { filterPolicy }));
        return;
      case 'https': {
        const deadLetterQueue = this.deadLetterQueue(id, `https ${new URL(target.url).host}`);
        topic.addSubscription(
          new UrlSubscription(target.url, {
            filterPolicy,
            deadLetterQueue,
            deliveryPolicy: HTTPS_DELIVERY_POLICY,
          }),
        );
        return;
      }
      case 'sqs': {
        const deadLetterQueue = this.deadLetterQueue(id, `sqs ${target.queueArn.split(':').at(-1)}`);
        const queue = Queue.fromQueueArn(this, id, target.queueArn);
        // Raw delivery: the queue receives the CloudEvents document itself, not an SNS envelope.
        topic.addSubscription(
          new SqsSubscription(queue, { filterPolicy, deadLetterQueue, rawMessageDelivery: true }),
        );
        return;
      }
    }
  }

  private deadLetterQueue(targetId: string, label: string): Queue {
    const queue = new Queue(this, `${targetId}DeadLetters`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: this.deadLetterRetention,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of an SNS subscription (its redrive policy, which cdk-nag does ' +
        'not see as a source); a DLQ of a DLQ would only move undelivered notifications again.',
    });
    this.queues.push({ label, queue });
    return queue;
  }
}

/** The filter policy of one subscription, on the attributes in FILTER_ATTRIBUTES. */
export function filterPolicyOf(
  filter: NotificationFilter | undefined,
): Record<string, SubscriptionFilter> | undefined {
  if (filter === undefined) return undefined;
  const policy: Record<string, SubscriptionFilter> = {};
  if (filter.eventTypes !== undefined) {
    policy[FILTER_ATTRIBUTES.eventType] = SubscriptionFilter.stringFilter({
      allowlist: [...filter.eventTypes],
    });
  }
  if (filter.processIds !== undefined) {
    policy[FILTER_ATTRIBUTES.processId] = SubscriptionFilter.stringFilter({
      allowlist: [...filter.processIds],
    });
  }
  if (filter.changedFields !== undefined) {
    policy[FILTER_ATTRIBUTES.changedFields] = SubscriptionFilter.stringFilter({
      allowlist: [...filter.changedFields],
    });
  }
  return policy;
}

/** Derived from the endpoint, so reordering targets does not replace (and re-confirm) subscriptions. */
function targetId(target: NotificationTarget): string {
  const hash = createHash('sha256').update(endpointOf(target)).digest('hex').slice(0, 8);
  return `${target.type === 'email' ? 'Email' : target.type === 'https' ? 'Https' : 'Sqs'}${hash}`;
}

function endpointOf(target: NotificationTarget): string {
  switch (target.type) {
    case 'email':
      return target.address.toLowerCase();
    case 'https':
      return target.url;
    case 'sqs':
      return target.queueArn;
  }
}

function validateTargets(targets: readonly NotificationTarget[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    const endpoint = `${target.type} ${endpointOf(target)}`;
    if (seen.has(endpoint)) throw new Error(`Notifications: ${target.type} target listed twice`);
    seen.add(endpoint);
    if (target.filter !== undefined && filterCombinations(target.filter) > MAX_FILTER_COMBINATIONS) {
      throw new Error(
        `Notifications: a ${target.type} filter allows more than ${MAX_FILTER_COMBINATIONS} value combinations`,
      );
    }
  }
}
