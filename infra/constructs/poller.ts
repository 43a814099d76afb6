/**
 * The poller Lambda: lists changed Midaxo projects and publishes change events. Every environment
 * variable of the poller's contract is set here, each beside the grant that goes with it.
 *
 * One run per workspace at a time comes from a lease item in the state table, not from reserved
 * concurrency: new AWS accounts have a concurrency quota of 10 and cannot reserve any of it.
 * Layer: infrastructure.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_EVENT_RETENTION_DAYS,
  DEFAULT_PROCESS_CONCURRENCY,
} from '../../shared/config/poll-defaults.js';
import { DEFAULT_DELETION_GUARD, type DeletionGuard } from '../../shared/core/deletion-guard.js';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names.js';
import { acknowledgePublishKeyWildcard } from './encrypted-topic.js';
import { createHoldingQueue } from './holding-queue.js';
import { createNotifierFunction, type LogLevel, REPO_ROOT } from './notifier-function.js';
import { grantReadSecret } from './referenced-secret.js';
import { type StoredWorkspace, StoredWorkspaces } from './stored-workspaces.js';

/** The DynamoDB requests the poller's state store sends, and nothing else (no Scan, streams or DescribeTable). */
export const STATE_TABLE_ACTIONS = [
  'GetItem',
  'UpdateItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
] as const;

/** The longest Lambda keeps an asynchronous invocation that it could not start yet. */
export const ASYNC_EVENT_MAX_AGE = Duration.hours(6);

export interface MidaxoEndpoint {
  /** @default - none: every workspace names its own instance */
  readonly instance?: 'eu' | 'us';
  /** @default - the instance's API, https://api.app-<instance>.midaxo.com */
  readonly apiUrl?: string;
  /** @default - the instance's token endpoint */
  readonly authUrl?: string;
  /** @default - the audience Midaxo documents, kappa-appsync-app-api */
  readonly audience?: string;
}

export interface PollerProps {
  readonly table: ITable;
  readonly topic: ITopic;
  readonly workspaces: readonly StoredWorkspace[];
  /** The instance and URLs of workspaces that name none of their own. */
  readonly midaxo: MidaxoEndpoint;
  /**
   * Processes of one workspace polled at once; they share its token and its rate-limit pause.
   * @default 8
   */
  readonly processConcurrency?: number;
  /**
   * Top-level project fields whose changes alone never make an event.
   * @default ['updatedAt']
   */
  readonly ignoredFields?: readonly string[];
  /**
   * Publish `created` for every project of a process seen for the first time, instead of a silent baseline.
   * @default false
   */
  readonly publishBaseline?: boolean;
  /**
   * Write the readable text `email` subscriptions of the topic get into each message. Without one, the
   * text would be written for nobody, and take room in the topic's 256 KiB the event could use.
   * @default true
   */
  readonly emailText?: boolean;
  /**
   * Projects asked for per API page to start with.
   * @default 100
   */
  readonly pageSize?: number;
  /**
   * How far before the watermark each run looks again, to absorb clock skew.
   * @default 300
   */
  readonly overlapSeconds?: number;
  /**
   * When a deletion sweep holds the deletions it infers for confirmation (both limits passed).
   * @default { maxDeletions: 10, maxDeletionsPercent: 20 }
   */
  readonly deletionGuard?: DeletionGuard;
  /**
   * Days the event log keeps each published event for replay (the items' TTL).
   * @default 14
   */
  readonly eventRetentionDays?: number;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Fits the default 5-minute schedule; a run that needs longer checkpoints and resumes next time.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * One page of projects plus their stored snapshots in memory, and more CPU for hashing.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * The handler's source file.
   * @default lambdas/poller/handler.ts of this repository
   */
  readonly entry?: string;
}

export class Poller extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  /** Scheduled runs Lambda gave up on (failed, or dropped after waiting too long), each with the reason. */
  public readonly failedInvocations: Queue;

  constructor(scope: Construct, id: string, props: PollerProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    const memorySize = props.memorySize ?? 512;
    const pageSize = props.pageSize ?? 100;
    const overlapSeconds = props.overlapSeconds ?? 300;
    const ignoredFields = props.ignoredFields ?? ['updatedAt'];
    const deletionGuard = props.deletionGuard ?? DEFAULT_DELETION_GUARD;
    validate({
      timeout,
      memorySize,
      pageSize,
      overlapSeconds,
      ignoredFields,
      deletionGuard,
      workspaces: props.workspaces,
      processConcurrency: props.processConcurrency,
      instance: props.midaxo.instance,
    });

    this.failedInvocations = createHoldingQueue(
      this,
      'FailedInvocations',
      "This queue is the poller's on-failure destination: it keeps the runs Lambda gave up on for " +
        'an operator to read; a dead-letter queue of its own would only move them again.',
    );
    const lambda = createNotifierFunction(this, {
      description: 'Polls Midaxo for changed projects and publishes change events',
      entry: props.entry ?? `${REPO_ROOT}lambdas/poller/handler.ts`,
      memorySize,
      timeout,
      // A failed run leaves the watermark in place and the next scheduled run starts from it:
      // Lambda's own retries would only repeat the failure and the alarm count.
      retryAttempts: 0,
      // Scheduler invokes asynchronously: a run Lambda throttles (the account's concurrency quota in use)
      // waits in the event queue and is retried there with backoff, for as long as Lambda allows.
      maxEventAge: ASYNC_EVENT_MAX_AGE,
      // A run dropped from the event queue would otherwise leave no trace but a Lambda metric.
      onFailure: new SqsDestination(this.failedInvocations),
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.function = lambda.function;
    this.logGroup = lambda.logGroup;
    this.function.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
    this.function.addEnvironment('IGNORED_FIELDS', ignoredFields.join(','));
    this.function.addEnvironment('PUBLISH_BASELINE', String(props.publishBaseline ?? false));
    this.function.addEnvironment('SNS_EMAIL_TEXT', String(props.emailText ?? true));
    this.function.addEnvironment('PAGE_SIZE', String(pageSize));
    this.function.addEnvironment('OVERLAP_SECONDS', String(overlapSeconds));
    this.function.addEnvironment('MAX_DELETIONS', String(deletionGuard.maxDeletions));
    this.function.addEnvironment('MAX_DELETIONS_PERCENT', String(deletionGuard.maxDeletionsPercent));
    this.function.addEnvironment(
      'PROCESS_CONCURRENCY',
      String(props.processConcurrency ?? DEFAULT_PROCESS_CONCURRENCY),
    );
    this.function.addEnvironment(
      'EVENT_RETENTION_DAYS',
      String(props.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS),
    );

    this.configureMidaxo(props.midaxo);
    this.configureWorkspaces(props);

    props.table.grant(this.function, ...STATE_TABLE_ACTIONS.map((action) => `dynamodb:${action}`));
    this.function.addEnvironment('STATE_TABLE_NAME', props.table.tableName);

    props.topic.grantPublish(this.function);
    this.function.addEnvironment('TOPIC_ARN', props.topic.topicArn);
    acknowledgePublishKeyWildcard(lambda.role);
  }

  private configureMidaxo(midaxo: MidaxoEndpoint): void {
    if (midaxo.instance !== undefined) this.function.addEnvironment('MIDAXO_INSTANCE', midaxo.instance);
    if (midaxo.apiUrl !== undefined) this.function.addEnvironment('MIDAXO_API_URL', midaxo.apiUrl);
    if (midaxo.authUrl !== undefined) this.function.addEnvironment('MIDAXO_AUTH_URL', midaxo.authUrl);
    if (midaxo.audience !== undefined) this.function.addEnvironment('MIDAXO_AUDIENCE', midaxo.audience);
  }

  /**
   * The workspace list goes into the state table, and the environment names its version: a deploy that
   * changes the list changes the function's configuration, so no container keeps an old list. The
   * function is updated only after the new version is written. Secret references only: the poller reads
   * each value from Secrets Manager at run time.
   */
  private configureWorkspaces(props: PollerProps): void {
    for (const workspace of props.workspaces) grantReadSecret(workspace, this.function);
    const stored = new StoredWorkspaces(this, 'Workspaces', {
      table: props.table,
      workspaces: props.workspaces,
      logRetention: props.logRetention,
    });
    this.function.addEnvironment('MIDAXO_WORKSPACES_VERSION', stored.version);
    this.function.node.addDependency(stored);
  }

  /**
   * Lets a replay name these webhook targets (`{"mode": "replay", "targets": [...]}`): their queue URLs
   * in the environment, and sqs:SendMessage on just those queues.
   */
  public allowReplayTo(targets: readonly { readonly name: string; readonly queue: IQueue }[]): void {
    if (targets.length === 0) return;
    const queues: Record<string, string> = {};
    for (const { name, queue } of targets) {
      queues[name] = queue.queueUrl;
      queue.grantSendMessages(this.function);
    }
    this.function.addEnvironment('WEBHOOK_REPLAY_QUEUES', Stack.of(this).toJsonString(queues));
  }
}

function validate(settings: {
  processConcurrency?: number;
  timeout: Duration;
  memorySize: number;
  pageSize: number;
  overlapSeconds: number;
  ignoredFields: readonly string[];
  deletionGuard: DeletionGuard;
  workspaces: readonly StoredWorkspace[];
  instance: MidaxoEndpoint['instance'];
}): void {
  const problems: string[] = [];
  const wholeNumber = (name: string, value: number | undefined, min: number, max: number, unit = '') => {
    if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return;
    problems.push(`${name} must be a whole number${unit} from ${min} to ${max}, got ${value}`);
  };
  const seconds = settings.timeout.toSeconds();
  if (seconds < 30 || seconds > 900) problems.push(`timeout must be 30 s to 15 min, got ${seconds} s`);
  wholeNumber('memorySize', settings.memorySize, 256, 10_240, ' of MB');
  wholeNumber('pageSize', settings.pageSize, 1, 1000);
  wholeNumber('overlapSeconds', settings.overlapSeconds, 0, 86_400);
  wholeNumber('deletionGuard.maxDeletions', settings.deletionGuard.maxDeletions, 0, 1_000_000);
  wholeNumber('deletionGuard.maxDeletionsPercent', settings.deletionGuard.maxDeletionsPercent, 0, 100);
  wholeNumber('processConcurrency', settings.processConcurrency, 1, 50);
  if (settings.ignoredFields.some((field) => field === '' || field.includes(','))) {
    problems.push('ignoredFields must be non-empty field names without commas');
  }
  if (settings.workspaces.length === 0) problems.push('at least one workspace is required');
  const withoutInstance = settings.workspaces.filter((w) => w.instance === undefined);
  if (settings.instance === undefined && withoutInstance.length > 0) {
    problems.push(
      `workspaces ${withoutInstance.map((w) => w.name).join(', ')} name no Midaxo instance, and midaxo.instance is not set`,
    );
  }
  if (problems.length > 0) throw new Error(`Poller: ${problems.join('; ')}`);
}
