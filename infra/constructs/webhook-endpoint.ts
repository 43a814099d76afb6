/**
 * One deployed webhook endpoint (docs/webhooks.md): a paced target queue of its own (PacedTargetQueue,
 * subscribed to the change topic with the target's filter) drained by a worker Lambda of its own, so a
 * slow or failing endpoint never delays another; the Standard Webhooks signing key in Secrets Manager,
 * a created one filled with a whsec_ key at deploy time (WebhookKeyGenerator).
 *
 * The worker holds failed events back on the retry schedule with ChangeMessageVisibility, for up to
 * 3 days, and then moves them to the dead-letter queue itself; the queue keeps a message 4 days, and
 * SQS's own redrive (1000 receives) only catches a worker that keeps failing before it decides.
 * Layer: infrastructure.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { webhookPartitionKey } from '../../shared/adapters/dynamodb/state-table.js';
import {
  METRICS_NAMESPACE,
  SERVICE_NAME,
  WEBHOOK_ENDPOINT_DIMENSION,
  WebhookMetricName,
} from '../../shared/observability/metric-names.js';
import type { SecretSource } from '../config/notifier-config.js';
import { createQueueWorkerFunction, type LogLevel, REPO_ROOT } from './notifier-function.js';
import { PacedTargetQueue } from './paced-target-queue.js';
import { grantReadSecret, type ReferencedSecret, referencedSecret } from './referenced-secret.js';
import type { CdkFilterPolicy } from './subscription-filter-policy.js';
import { WebhookKeyGenerator } from './webhook-key-generator.js';

/** A batch of 100 at a few per second, each attempt bounded by 10 s, fits. */
const TIMEOUT = Duration.seconds(60);
const MEMORY_MB = 256;
/** Invocations at once per endpoint: Lambda's least for an SQS mapping; each paces to its share. */
const CONCURRENCY = 2;

export interface WebhookEndpointProps {
  readonly topic: ITopic;
  /** The target's name: in the function's description, alarms, secret and state item. */
  readonly name: string;
  /** The receiver's https:// URL. */
  readonly url: string;
  readonly secret: SecretSource;
  /** Where a disabled endpoint (410 Gone) is recorded. */
  readonly stateTable: ITable;
  /** Sends per second to the endpoint. */
  readonly maxPerSecond: number;
  /** @default - every event */
  readonly filterPolicy?: CdkFilterPolicy;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly secretRemovalPolicy?: RemovalPolicy;
}

export class WebhookEndpoint extends Construct {
  public readonly name: string;
  public readonly label: string;
  public readonly function: NodejsFunction;
  public readonly signingSecret: ReferencedSecret;
  public readonly delivery: PacedTargetQueue;
  /** 1 while the endpoint is disabled (it answered 410 Gone), for its alarm. */
  public readonly disabledMetric: Metric;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.name = props.name;
    this.label = `webhook target "${props.name}"`;
    this.signingSecret = this.secretOf(props);

    const lambda = createQueueWorkerFunction(this, {
      description: `Delivers Midaxo change events to the webhook target "${props.name}"`,
      entry: `${REPO_ROOT}lambdas/webhook-worker/handler.ts`,
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;

    this.delivery = new PacedTargetQueue(this, 'Delivery', {
      topic: props.topic,
      label: this.label,
      worker: this.function,
      filterPolicy: props.filterPolicy,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: CONCURRENCY,
      outageTolerance: Duration.days(3),
      visibilityTimeout: Duration.minutes(5),
      maxReceiveCount: 1000,
      retentionPeriod: Duration.days(4),
    });

    grantReadSecret(this.signingSecret, this.function);
    this.delivery.deadLetterQueue.grantSendMessages(this.function);
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resourceArns: [props.stateTable.tableArn],
      conditions: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': [webhookPartitionKey(props.name)],
        },
      },
    });
    const environment: Record<string, string> = {
      WEBHOOK_NAME: props.name,
      WEBHOOK_URL: props.url,
      WEBHOOK_SECRET_ID: this.signingSecret.secretId,
      WEBHOOK_MAX_PER_SECOND: String(props.maxPerSecond),
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
      QUEUE_URL: this.delivery.queue.queueUrl,
      DEAD_LETTER_QUEUE_URL: this.delivery.deadLetterQueue.queueUrl,
      STATE_TABLE_NAME: props.stateTable.tableName,
    };
    for (const [key, value] of Object.entries(environment)) this.function.addEnvironment(key, value);

    this.disabledMetric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: WebhookMetricName.EndpointDisabled,
      dimensionsMap: { service: SERVICE_NAME, [WEBHOOK_ENDPOINT_DIMENSION]: props.name },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
  }

  private secretOf(props: WebhookEndpointProps): ReferencedSecret {
    const noRotationReason =
      'A Standard Webhooks signing key is shared with the receiver, which must install the new key: it is ' +
      'rotated by hand with an overlap during which both keys sign (docs/webhooks.md), not by a rotation Lambda.';
    const signingSecret = referencedSecret(this, 'SigningSecret', props.secret, {
      description: `Standard Webhooks signing key of the Midaxo change notifier's webhook target "${props.name}" (docs/webhooks.md)`,
      noRotationReason,
      removalPolicy: props.secretRemovalPolicy,
    });
    // Created empty, then given a random whsec_ key at deploy time: the key never passes the template.
    if (signingSecret.created) {
      WebhookKeyGenerator.of(this, { logRetention: props.logRetention }).fill(
        this,
        'SigningKey',
        signingSecret.secret,
      );
    }
    return signingSecret;
  }
}
