/**
 * Subscriptions of the change topic, one per configured target, each optionally narrowed by the
 * filter policy `snsFilterPolicy` builds from the target's filter (one set of rules for every kind of
 * target). Everything but an email target with `"delivery": "each"` gets a dead-letter queue, so a
 * message that was not delivered is kept and alarmed on instead of lost; a Slack target is a paced
 * queue and worker (see slack-forwarder.ts), an email digest target the same publishing to a topic of
 * its own (email-digest.ts), a Lambda target an existing function in the stack's account and region.
 * Layer: infrastructure.
 */
import { createHash } from 'node:crypto';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BackoffFunction, type DeliveryPolicy, type ITopic } from 'aws-cdk-lib/aws-sns';
import {
  EmailSubscription,
  LambdaSubscription,
  SqsSubscription,
  UrlSubscription,
} from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigError } from '../../shared/config/config-error.js';
import { FilterPolicyError } from '../../shared/notifications/filter-policy.js';
import {
  describeTarget,
  type NotificationTarget,
  targetEndpoint,
  targetKey,
} from '../config/notifier-config.js';
import { EmailDigest } from './email-digest.js';
import { createHoldingQueue } from './holding-queue.js';
import type { LogLevel } from './notifier-function.js';
import { SlackForwarder } from './slack-forwarder.js';
import { type CdkFilterPolicy, subscriptionFilterPolicy } from './subscription-filter-policy.js';
import { WebhookEndpoint } from './webhook-endpoint.js';

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
   * How long the dead-letter queue of an HTTPS, SQS or Lambda target keeps an undelivered message (a
   * Slack or webhook target's queues are sized by PacedTargetQueue).
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly deadLetterRetention?: Duration;
  /**
   * Where webhook endpoints record that they are disabled; required with a webhook target.
   * @default - none
   */
  readonly stateTable?: ITable;
  /**
   * Log level of the Slack forwarders.
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * Log retention of the Slack forwarders.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** A dead-letter queue with a name an operator recognises in an alarm. */
export interface LabelledQueue {
  readonly label: string;
  readonly queue: IQueue;
}

export class Notifications extends Construct {
  /** One per HTTPS, SQS, Lambda, Slack, webhook and email digest target, in the order of the targets. */
  public readonly deadLetterQueues: readonly LabelledQueue[];
  /** One per Slack target, in the order of the targets. */
  public readonly slackForwarders: readonly SlackForwarder[];
  /** One per webhook target, in the order of the targets. */
  public readonly webhookEndpoints: readonly WebhookEndpoint[];
  /** One per email target with `"delivery": "digest"`, in the order of the targets. */
  public readonly emailDigests: readonly EmailDigest[];
  private readonly deadLetterRetention: Duration;
  private readonly queues: LabelledQueue[] = [];
  private readonly forwarders: SlackForwarder[] = [];
  private readonly endpoints: WebhookEndpoint[] = [];
  private readonly digests: EmailDigest[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: NotificationsProps,
  ) {
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
    this.slackForwarders = this.forwarders;
    this.webhookEndpoints = this.endpoints;
    this.emailDigests = this.digests;
  }

  private subscribe(topic: ITopic, target: NotificationTarget): void {
    const filterPolicy = filterPolicyOf(target);
    const id = targetId(target);
    switch (target.type) {
      case 'email': {
        if (target.delivery === 'each') {
          topic.addSubscription(new EmailSubscription(target.address, { filterPolicy }));
          return;
        }
        const digest = new EmailDigest(this, id, {
          topic,
          address: target.address,
          digestMinutes: target.digestMinutes,
          label: `Email digest to ${target.address}`,
          filterPolicy,
          logLevel: this.props.logLevel,
          logRetention: this.props.logRetention,
        });
        this.queues.push(digest.delivery.labelledDeadLetterQueue);
        this.digests.push(digest);
        return;
      }
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
      case 'lambda': {
        this.checkSameEnvironment(target.functionArn);
        const deadLetterQueue = this.deadLetterQueue(id, `lambda ${functionNameOf(target.functionArn)}`);
        // An env-agnostic stack cannot tell whose function this is and would silently skip the invoke
        // permission; the function must be in the stack's account, the only one that can grant it.
        const fn = LambdaFunction.fromFunctionAttributes(this, id, {
          functionArn: target.functionArn,
          sameEnvironment: true,
        });
        // Adds the AWS::Lambda::Permission for sns.amazonaws.com with the change topic as SourceArn.
        topic.addSubscription(new LambdaSubscription(fn, { filterPolicy, deadLetterQueue }));
        return;
      }
      case 'slack': {
        const forwarder = new SlackForwarder(this, id, {
          topic,
          name: target.name,
          label: slackLabel(target.name),
          secret: target.secret,
          filterPolicy,
          logLevel: this.props.logLevel,
          logRetention: this.props.logRetention,
        });
        this.queues.push(forwarder.delivery.labelledDeadLetterQueue);
        this.forwarders.push(forwarder);
        return;
      }
      case 'webhook': {
        if (this.props.stateTable === undefined) {
          throw new Error('Notifications: a webhook target needs the stateTable prop');
        }
        const endpoint = new WebhookEndpoint(this, id, {
          topic,
          name: target.name,
          url: target.url,
          secret: target.secret,
          stateTable: this.props.stateTable,
          maxPerSecond: target.maxPerSecond,
          filterPolicy,
          logLevel: this.props.logLevel,
          logRetention: this.props.logRetention,
        });
        this.queues.push(endpoint.delivery.labelledDeadLetterQueue);
        this.endpoints.push(endpoint);
        return;
      }
    }
  }

  /**
   * Only the function's own account can let the topic invoke it, and CloudFormation adds that
   * permission in the stack's region. Checked when the stack names its environment; an env-agnostic
   * stack learns it at deploy (see docs/deploy.md).
   */
  private checkSameEnvironment(functionArn: string): void {
    const stack = Stack.of(this);
    const [, , , region, account] = functionArn.split(':');
    const differs = (mine: string, theirs: string | undefined) =>
      !Token.isUnresolved(mine) && mine !== theirs;
    if (differs(stack.account, account) || differs(stack.region, region)) {
      throw new ConfigError(
        `Notifications: lambda target ${functionNameOf(functionArn)}: the function must be in the account and ` +
          `region the stack deploys to (${stack.account}, ${stack.region}); subscribe a function elsewhere ` +
          'after deploy instead (see docs/deploy.md)',
      );
    }
  }

  private deadLetterQueue(targetId: string, label: string): Queue {
    const queue = createHoldingQueue(
      this,
      `${targetId}DeadLetters`,
      'This queue is the dead-letter queue of an SNS subscription (its redrive policy), which cdk-nag ' +
        'does not see as a source. A DLQ of a DLQ would only move undelivered notifications again.',
      this.deadLetterRetention,
    );
    this.queues.push({ label, queue });
    return queue;
  }
}

/** The function's name with its version or alias, if any, from its ARN. */
function functionNameOf(functionArn: string): string {
  return functionArn.split(':').slice(6).join(':');
}

/** How alarms and the dashboard name a Slack target. */
function slackLabel(name: string): string {
  return `Slack target "${name}"`;
}

/** The target's filter policy; a filter SNS would refuse is a configuration error naming the target. */
function filterPolicyOf(target: NotificationTarget): CdkFilterPolicy | undefined {
  try {
    return subscriptionFilterPolicy(target.filter);
  } catch (e: unknown) {
    if (!(e instanceof FilterPolicyError)) throw e;
    throw new ConfigError(`Notifications: ${describeTarget(target)}: ${e.message}`);
  }
}

const TARGET_ID_PREFIX = { email: 'Email', https: 'Https', sqs: 'Sqs', lambda: 'Lambda' } as const;

/**
 * Derived from the endpoint (for Slack, the target's name), so reordering targets does not replace
 * (and re-confirm) subscriptions.
 */
function targetId(target: NotificationTarget): string {
  if (target.type === 'slack') return `Slack${target.name}`;
  if (target.type === 'webhook') return `Webhook${target.name}`;
  const hash = createHash('sha256').update(targetEndpoint(target)).digest('hex').slice(0, 8);
  return `${TARGET_ID_PREFIX[target.type]}${hash}`;
}

function validateTargets(targets: readonly NotificationTarget[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    const key = targetKey(target);
    if (seen.has(key)) {
      throw new Error(
        target.type === 'slack' || target.type === 'webhook'
          ? `Notifications: ${target.type === 'slack' ? 'Slack' : 'webhook'} target "${target.name}" listed twice (names are compared ignoring case, "-" and "_")`
          : `Notifications: ${target.type} target listed twice`,
      );
    }
    seen.add(key);
  }
}
