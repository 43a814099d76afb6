/**
 * The poller Lambda: lists changed Midaxo projects and publishes change events. Every environment
 * variable of the poller's contract is set here, each beside the grant that goes with it.
 *
 * One run per workspace at a time comes from a lease item in the state table, not from reserved
 * concurrency: new AWS accounts have a concurrency quota of 10 and cannot reserve any of it.
 * Layer: infrastructure.
 */
import { fileURLToPath } from 'node:url';
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/observability/metric-names.js';
import type { WorkspaceSecret } from './workspace-secrets.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Makes `require` available to the CommonJS dependencies bundled into the ESM output. */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface MidaxoEndpoint {
  readonly instance: 'eu' | 'us';
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
  readonly workspaces: readonly WorkspaceSecret[];
  readonly midaxo: MidaxoEndpoint;
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
   * Projects asked for per API page to start with.
   * @default 100
   */
  readonly pageSize?: number;
  /**
   * How far before the watermark each run looks again, to absorb clock skew.
   * @default 300
   */
  readonly overlapSeconds?: number;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
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

  constructor(scope: Construct, id: string, props: PollerProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    const memorySize = props.memorySize ?? 512;
    const pageSize = props.pageSize ?? 100;
    const overlapSeconds = props.overlapSeconds ?? 300;
    const ignoredFields = props.ignoredFields ?? ['updatedAt'];
    validate({ timeout, memorySize, pageSize, overlapSeconds, ignoredFields, workspaces: props.workspaces });

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    // An own role instead of the default one: it writes to this log group only, where the managed
    // AWSLambdaBasicExecutionRole policy would allow every log group of the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the Midaxo change notifier poller',
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      description: 'Polls Midaxo for changed projects and publishes change events',
      entry: props.entry ?? `${REPO_ROOT}lambdas/poller/handler.ts`,
      handler: 'handler',
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      projectRoot: REPO_ROOT,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      role,
      logGroup: this.logGroup,
      // A failed run leaves the watermark in place and the next scheduled run starts from it:
      // Lambda's own retries would only repeat the failure and the alarm count.
      retryAttempts: 0,
      bundling: {
        // Local esbuild (a devDependency), never Docker; the AWS SDK clients bundled in, so the
        // deployed code runs the versions the tests ran against.
        forceDockerBundling: false,
        bundleAwsSDK: true,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: CREATE_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        IGNORED_FIELDS: ignoredFields.join(','),
        PUBLISH_BASELINE: String(props.publishBaseline ?? false),
        PAGE_SIZE: String(pageSize),
        OVERLAP_SECONDS: String(overlapSeconds),
      },
    });

    this.configureMidaxo(props.midaxo);
    this.configureWorkspaces(props.workspaces);

    props.table.grantReadWriteData(this.function);
    this.function.addEnvironment('STATE_TABLE_NAME', props.table.tableName);

    props.topic.grantPublish(this.function);
    this.function.addEnvironment('TOPIC_ARN', props.topic.topicArn);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "Added by topic.grantPublish for the topic's own customer-managed key (the statement's only " +
        'resource is that key): SNS generates a data key per published message. The wildcard only spans ' +
        'GenerateDataKey and GenerateDataKeyWithoutPlaintext.',
    });
  }

  private configureMidaxo(midaxo: MidaxoEndpoint): void {
    this.function.addEnvironment('MIDAXO_INSTANCE', midaxo.instance);
    if (midaxo.apiUrl !== undefined) this.function.addEnvironment('MIDAXO_API_URL', midaxo.apiUrl);
    if (midaxo.authUrl !== undefined) this.function.addEnvironment('MIDAXO_AUTH_URL', midaxo.authUrl);
    if (midaxo.audience !== undefined) this.function.addEnvironment('MIDAXO_AUDIENCE', midaxo.audience);
  }

  /** Secret references only: the poller reads each value from Secrets Manager at run time. */
  private configureWorkspaces(workspaces: readonly WorkspaceSecret[]): void {
    for (const workspace of workspaces) {
      workspace.secret.grantRead(this.function);
      if (workspace.encryptionKeyArn !== undefined) {
        // Decrypt with the secret's own key, and only when Secrets Manager asks on the poller's behalf.
        Grant.addToPrincipal({
          grantee: this.function,
          actions: ['kms:Decrypt'],
          resourceArns: [workspace.encryptionKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        });
      }
    }
    const references = workspaces.map((workspace) => ({
      name: workspace.name,
      secretId: workspace.secretId,
      processIds: workspace.processIds,
    }));
    this.function.addEnvironment('MIDAXO_WORKSPACES', Stack.of(this).toJsonString(references));
  }
}

function validate(settings: {
  timeout: Duration;
  memorySize: number;
  pageSize: number;
  overlapSeconds: number;
  ignoredFields: readonly string[];
  workspaces: readonly WorkspaceSecret[];
}): void {
  const problems: string[] = [];
  const seconds = settings.timeout.toSeconds();
  if (seconds < 30 || seconds > 900) problems.push(`timeout must be 30 s to 15 min, got ${seconds} s`);
  if (!Number.isInteger(settings.memorySize) || settings.memorySize < 256 || settings.memorySize > 10_240) {
    problems.push(`memorySize must be a whole number of MB from 256 to 10240, got ${settings.memorySize}`);
  }
  if (!Number.isInteger(settings.pageSize) || settings.pageSize < 1 || settings.pageSize > 1000) {
    problems.push(`pageSize must be a whole number from 1 to 1000, got ${settings.pageSize}`);
  }
  if (
    !Number.isInteger(settings.overlapSeconds) ||
    settings.overlapSeconds < 0 ||
    settings.overlapSeconds > 86_400
  ) {
    problems.push(`overlapSeconds must be a whole number from 0 to 86400, got ${settings.overlapSeconds}`);
  }
  if (settings.ignoredFields.some((field) => field === '' || field.includes(','))) {
    problems.push('ignoredFields must be non-empty field names without commas');
  }
  if (settings.workspaces.length === 0) problems.push('at least one workspace is required');
  if (problems.length > 0) throw new Error(`Poller: ${problems.join('; ')}`);
}
