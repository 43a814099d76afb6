/**
 * One Slack target: the target's queue subscribed to the change topic (its filter as the subscription's
 * filter policy), drained by a worker Lambda that posts to the target's incoming webhook, whose URL
 * lives only in the target's secret (see paced-target-queue.ts for the queue, its redrive and its
 * dead-letter queue). A batch of one event is posted as its own message, a batch of several as one
 * digest, no faster than Slack takes them. Outside any VPC the function reaches hooks.slack.com over
 * HTTPS directly.
 * Layer: infrastructure.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SecretSource } from '../config/notifier-config.js';
import { createQueueWorkerFunction, type LogLevel, REPO_ROOT } from './notifier-function.js';
import { PacedTargetQueue } from './paced-target-queue.js';
import { grantReadSecret, type ReferencedSecret, referencedSecret } from './referenced-secret.js';
import type { CdkFilterPolicy } from './subscription-filter-policy.js';

/** Room for a few posts with Slack's pauses between them; what does not fit waits in the queue. */
export const SLACK_WORKER_TIMEOUT = Duration.seconds(60);
const MEMORY_MB = 256;
/**
 * A burst becomes few digests (at most 100 events each), and a single change waits at most the
 * batching window before it is posted.
 */
export const SLACK_BATCHING = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(20),
  maxConcurrency: 2,
} as const;

export interface SlackForwarderProps {
  readonly topic: ITopic;
  /** The target's name, shown in the function's description and secret. */
  readonly name: string;
  /** How alarms and the dashboard name the target. */
  readonly label: string;
  /** The secret whose SecretString is `{"webhookUrl": "https://hooks.slack.com/services/…"}` or the URL. */
  readonly secret: SecretSource;
  /**
   * Which events this target gets (from `subscriptionFilterPolicy`).
   * @default - every event
   */
  readonly filterPolicy?: CdkFilterPolicy;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to a created secret when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly secretRemovalPolicy?: RemovalPolicy;
}

export class SlackForwarder extends Construct {
  public readonly name: string;
  /** How alarms and the dashboard name the target. */
  public readonly label: string;
  public readonly function: NodejsFunction;
  public readonly webhookSecret: ReferencedSecret;
  /** The target's queue, its dead-letter queue and the worker's event source. */
  public readonly delivery: PacedTargetQueue;

  constructor(scope: Construct, id: string, props: SlackForwarderProps) {
    super(scope, id);
    validate(props.name);
    this.name = props.name;
    this.label = props.label;

    this.webhookSecret = referencedSecret(this, 'WebhookSecret', props.secret, {
      description:
        `Incoming webhook of the Midaxo change notifier's Slack target "${props.name}": put ` +
        '{"webhookUrl":"https://hooks.slack.com/services/..."} here with aws secretsmanager put-secret-value',
      noRotationReason:
        'Holds a Slack incoming-webhook URL, which only a Slack user can issue, by adding the webhook to a ' +
        'channel in the Slack app settings: there is no API a rotation Lambda could call to make a new one. ' +
        'It is rotated by regenerating the webhook in Slack and running put-secret-value (docs/deploy.md).',
      removalPolicy: props.secretRemovalPolicy,
    });

    const lambda = createQueueWorkerFunction(this, {
      description: `Posts Midaxo change events to the Slack target "${props.name}"`,
      entry: `${REPO_ROOT}lambdas/slack-forwarder/handler.ts`,
      memorySize: MEMORY_MB,
      timeout: SLACK_WORKER_TIMEOUT,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;

    grantReadSecret(this.webhookSecret, this.function);
    this.function.addEnvironment('SLACK_WEBHOOK_SECRET_ID', this.webhookSecret.secretId);

    this.delivery = new PacedTargetQueue(this, 'Delivery', {
      topic: props.topic,
      label: this.label,
      worker: this.function,
      filterPolicy: props.filterPolicy,
      ...SLACK_BATCHING,
    });
  }
}

function validate(name: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new Error('SlackForwarder: name must be 1-64 letters, digits, "-" or "_"');
  }
}
