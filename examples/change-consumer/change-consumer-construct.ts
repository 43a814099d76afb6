/**
 * The reference consumer, deployable beside the notifier: a queue subscribed to the change topic with
 * raw message delivery (each message body is the CloudEvents document), a dead-letter queue, the
 * idempotency and projects tables, and the consumer Lambda reading the queue with partial batch
 * responses. Bundled like the notifier's own functions (createNotifierFunction).
 *
 * A message that fails `maxReceiveCount` times (a malformed event, a failing `applyChange`) moves to
 * the dead-letter queue; so does one SNS could not deliver to the queue at all.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  createQueueWorkerFunction,
  type LogLevel,
  REPO_ROOT,
} from '../../infra/constructs/notifier-function.js';
import { CONSUMER_SERVICE_NAME } from './consumer-config.js';
import { IDEMPOTENCY_TABLE, PROJECTS_TABLE } from './consumer-tables.js';

const TIMEOUT = Duration.seconds(30);
const MEMORY_MB = 256;
/** AWS's advice for a queue a Lambda reads: six times the function's timeout. */
const VISIBILITY_TIMEOUT = Duration.seconds(TIMEOUT.toSeconds() * 6);
/** The SQS maximum: events wait out a consumer outage of up to two weeks. */
const RETENTION = Duration.days(14);

export interface ChangeConsumerProps {
  /** The notifier's change topic (the stack's `TopicArn` output). */
  readonly topic: ITopic;
  /**
   * Deliveries of a message before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Messages per invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * What happens to the projects table when it leaves the stack. The idempotency table, whose
   * records expire after a day, is always deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly projectsTableRemovalPolicy?: RemovalPolicy;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class ChangeConsumer extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly idempotencyTable: Table;
  public readonly projectsTable: Table;
  public readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ChangeConsumerProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const batchSize = props.batchSize ?? 10;
    validate(maxReceiveCount, batchSize);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      visibilityTimeout: VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    // Raw delivery: the message body is the CloudEvents document itself, not an SNS envelope.
    props.topic.addSubscription(
      new SqsSubscription(this.queue, { rawMessageDelivery: true, deadLetterQueue: this.deadLetterQueue }),
    );

    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLive,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.projectsTable = new Table(this, 'ProjectsTable', {
      partitionKey: { name: PROJECTS_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.projectsTableRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    const lambda = createQueueWorkerFunction(this, {
      description: 'Applies Midaxo change events from its queue in order, each once (reference consumer)',
      entry: `${REPO_ROOT}examples/change-consumer/handler.ts`,
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;
    this.function.addEnvironment('POWERTOOLS_SERVICE_NAME', CONSUMER_SERVICE_NAME);

    // Exactly what Powertools' DynamoDB persistence layer calls, and the one conditional update.
    this.idempotencyTable.grant(
      this.function,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    this.function.addEnvironment('IDEMPOTENCY_TABLE_NAME', this.idempotencyTable.tableName);
    this.projectsTable.grant(this.function, 'dynamodb:UpdateItem');
    this.function.addEnvironment('PROJECTS_TABLE_NAME', this.projectsTable.tableName);

    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize, reportBatchItemFailures: true }),
    );
  }
}

function validate(maxReceiveCount: number, batchSize: number): void {
  const problems: string[] = [];
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    problems.push(`maxReceiveCount must be a whole number from 1 to 1000, got ${maxReceiveCount}`);
  }
  // Above 10, SQS needs a batching window, which would delay every event.
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    problems.push(`batchSize must be a whole number from 1 to 10, got ${batchSize}`);
  }
  if (problems.length > 0) throw new Error(`ChangeConsumer: ${problems.join('; ')}`);
}
