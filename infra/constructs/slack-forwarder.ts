/**
 * One Slack target: a forwarder Lambda subscribed to the change topic (its filter as the subscription's
 * filter policy) that posts each event to the target's incoming webhook, whose URL lives only in the
 * target's secret.
 *
 * A message Slack never took is kept, not lost: the one dead-letter queue is both the function's
 * (after Lambda's retries of the failed asynchronous invocation) and the subscription's (what SNS could
 * not hand to Lambda at all). Outside any VPC the function reaches hooks.slack.com over HTTPS directly.
 * Layer: infrastructure.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SecretSource } from '../config/notifier-config.js';
import { createNotifierFunction, type LogLevel, REPO_ROOT } from './notifier-function.js';
import { grantReadSecret, type ReferencedSecret, referencedSecret } from './referenced-secret.js';
import type { CdkFilterPolicy } from './subscription-filter-policy.js';

/** Posting one message, Slack's retries included, fits well within it; so does reading the secret. */
const TIMEOUT = Duration.seconds(30);
const MEMORY_MB = 256;

export interface SlackForwarderProps {
  readonly topic: ITopic;
  /** The target's name, shown in the function's description, alarms and secret. */
  readonly name: string;
  /** The secret whose SecretString is `{"webhookUrl": "https://hooks.slack.com/services/…"}` or the URL. */
  readonly secret: SecretSource;
  /** Where a message that was not posted is kept: the function's and the subscription's dead-letter queue. */
  readonly deadLetterQueue: IQueue;
  /**
   * Which events this target gets (from `subscriptionFilterPolicy`).
   * @default - every event
   */
  readonly filterPolicy?: CdkFilterPolicy;
  /**
   * Longest time one post may spend retrying Slack's 429 and 5xx answers (SLACK_RETRY_BUDGET_SECONDS).
   * @default Duration.seconds(20)
   */
  readonly retryBudget?: Duration;
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
  public readonly function: NodejsFunction;
  public readonly webhookSecret: ReferencedSecret;
  public readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: SlackForwarderProps) {
    super(scope, id);
    const retryBudget = props.retryBudget ?? Duration.seconds(20);
    validate(props.name, retryBudget);
    this.name = props.name;
    this.deadLetterQueue = props.deadLetterQueue;

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

    const lambda = createNotifierFunction(this, {
      description: `Posts Midaxo change events to the Slack target "${props.name}"`,
      entry: `${REPO_ROOT}lambdas/slack-forwarder/handler.ts`,
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      // SNS invokes asynchronously: Lambda retries a failed post twice, then parks the event.
      retryAttempts: 2,
      deadLetterQueue: props.deadLetterQueue,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;

    grantReadSecret(this.webhookSecret, this.function);
    this.function.addEnvironment('SLACK_WEBHOOK_SECRET_ID', this.webhookSecret.secretId);
    this.function.addEnvironment('SLACK_RETRY_BUDGET_SECONDS', String(retryBudget.toSeconds()));

    props.topic.addSubscription(
      new LambdaSubscription(this.function, {
        filterPolicy: props.filterPolicy,
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }
}

function validate(name: string, retryBudget: Duration): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) problems.push('name must be 1-64 letters, digits, "-" or "_"');
  const budgetSeconds = retryBudget.toSeconds({ integral: false });
  if (!Number.isInteger(budgetSeconds) || budgetSeconds < 1 || budgetSeconds >= TIMEOUT.toSeconds()) {
    problems.push(
      `retryBudget must be whole seconds from 1 to ${TIMEOUT.toSeconds() - 1} (below the ` +
        `${TIMEOUT.toSeconds()} s timeout), got ${budgetSeconds} s`,
    );
  }
  if (problems.length > 0) throw new Error(`SlackForwarder: ${problems.join('; ')}`);
}
