/**
 * The Lambda defaults every function of the notifier shares, set once: a NodejsFunction bundled
 * locally by esbuild as ESM with the AWS SDK inside, the latest Node.js runtime on ARM64, source maps,
 * an explicit log group with retention, and an own role that may write to that log group only.
 * Callers add their environment variables beside the grants that go with them.
 * Layer: infrastructure.
 */
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IDestination, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LAMBDA_NODE_OPTIONS } from '../../shared/config/lambda-runtime.js';
import { SERVICE_NAME } from '../../shared/observability/metric-names.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Makes `require` available to the CommonJS dependencies bundled into the ESM output. */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface NotifierFunctionProps {
  /** What the function does, shown in the console and in its role's description. */
  readonly description: string;
  /** The handler's source file; its export `handler` is the entry point. */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Lambda's retries of a failed asynchronous invocation (0-2). */
  readonly retryAttempts: number;
  /**
   * How long an asynchronous invocation may wait in Lambda's event queue (throttled, or Lambda's own
   * errors) before Lambda drops it.
   * @default - Lambda's default, 6 hours
   */
  readonly maxEventAge?: Duration;
  /**
   * Where Lambda sends an asynchronous invocation that failed its last retry.
   * @default - none
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Where Lambda sends (with the reason) an asynchronous invocation it gave up on: failed its last
   * retry, or waited in the event queue longer than `maxEventAge`.
   * @default - none
   */
  readonly onFailure?: IDestination;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export interface NotifierFunction {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
}

/**
 * Creates the log group (`Logs`), role (`Role`) and function (`Function`) in `scope`, so each construct
 * that owns a function keeps the logical ids it always had.
 */
export function createNotifierFunction(scope: Construct, props: NotifierFunctionProps): NotifierFunction {
  const logGroup = new LogGroup(scope, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
  // An own role instead of the default one: it writes to this log group only, where the managed
  // AWSLambdaBasicExecutionRole policy would allow every log group of the account.
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs the Midaxo change notifier function that ${lowerFirst(props.description)}`,
  });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(scope, 'Function', {
    description: props.description,
    entry: props.entry,
    handler: 'handler',
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    projectRoot: REPO_ROOT,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    retryAttempts: props.retryAttempts,
    maxEventAge: props.maxEventAge,
    deadLetterQueue: props.deadLetterQueue,
    onFailure: props.onFailure,
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
      NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
    },
  });
  return { function: fn, logGroup, role };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * A function that drains an SQS queue through an event source mapping. Lambda invokes it synchronously,
 * so it never retries an invocation itself: what fails returns to the queue, which retries and then
 * dead-letters it.
 */
export function createQueueWorkerFunction(
  scope: Construct,
  props: Omit<NotifierFunctionProps, 'retryAttempts' | 'maxEventAge' | 'deadLetterQueue' | 'onFailure'>,
): NotifierFunction {
  return createNotifierFunction(scope, { ...props, retryAttempts: 0 });
}
