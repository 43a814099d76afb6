/**
 * The real poller handler wired for fault tests: the Midaxo sandbox on a manual clock, a fresh table in
 * DynamoDB Local (through a client that can inject DynamoDB faults), the failing SNS stand-in, Secrets
 * Manager stood in per client instance, and a fetch that learns every token so leaks can be searched for.
 * One harness per scenario; `createHandler` gives further "containers" of the same deployment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createPollerHandler } from '../../lambdas/poller/create-poller-handler.js';
import {
  type MidaxoSandbox,
  type MidaxoSandboxOptions,
  type SandboxClient,
  type SandboxProjectInput,
  startMidaxoSandbox,
} from '../../sandbox/midaxo-sandbox.js';
import { createDynamoDbStateStore } from '../../shared/adapters/dynamodb/dynamodb-state-store.js';
import {
  STATE_TABLE_KEYS,
  TOKEN_CACHE_PARTITION_PREFIX,
} from '../../shared/adapters/dynamodb/state-table.js';
import type { WorkspaceReference } from '../../shared/config/workspace-list.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import type { StateStore } from '../../shared/core/ports.js';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import { ManualClock } from '../fakes/in-memory-ports.js';
import { lambdaContext } from '../lambdas/poller/lambda-context.js';
import {
  createLocalDynamoDbClient,
  createLocalLambdaDynamoDbClient,
  createStateTable,
  forgetCachedTokens,
  storedWatermark,
  storeWorkspaces,
} from '../support/dynamodb-test-table.js';
import { type CapturedOutput, captureOutput } from './captured-output.js';
import { type DynamoDbFaults, injectDynamoDbFaults } from './dynamodb-faults.js';
import { createSnsStandIn, type SnsStandIn } from './failing-sns.js';
import { createSecretWatch, type SecretWatch } from './secret-watch.js';

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes';
export const SECRET_ID = 'midaxo/fault-suite';
/** Credentials with characters that change when form- or JSON-encoded, so every form of a leak is searched. */
export const FAULT_CLIENT: SandboxClient = {
  clientId: 'fault-suite-client',
  clientSecret: 'Fault+Suite/Secret=42&never-logged',
};

export interface PollerHarnessOptions {
  readonly dynamoDbEndpoint: string;
  readonly processes: Readonly<Record<string, readonly SandboxProjectInput[]>>;
  /** Everything but the clock and the projects, which the harness sets. */
  readonly sandbox?: Omit<MidaxoSandboxOptions, 'now' | 'processes'>;
  /** Variables added to (or replacing) the harness's poller environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Workspaces stored in the state table as the stack's deploy stores them, the poller environment
   * naming their version instead of listing a secret and processes.
   */
  readonly storedWorkspaces?: readonly WorkspaceReference[];
  /** @default a Logger that prints nothing */
  readonly logger?: Logger;
  /** Seeds the SNS and DynamoDB fault streams. @default 1 */
  readonly seed?: number;
  /** @default 2026-11-27T08:00:00Z */
  readonly start?: Date;
}

export interface HandlerOverrides {
  readonly env?: Readonly<Record<string, string>>;
  /** Use the Logger the handler makes itself (POWERTOOLS_* variables apply) when null. */
  readonly logger?: Logger | null;
  /** Stands between the handler and the secret-watching fetch, e.g. to answer in place of Midaxo. */
  readonly wrapFetch?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch;
}

export type PollerHandler = ReturnType<typeof createPollerHandler>;

export interface PollerHarness {
  readonly sandbox: MidaxoSandbox;
  readonly clock: ManualClock;
  readonly tableName: string;
  /** Reads the state the handler wrote, through a client without injected faults. */
  readonly store: StateStore;
  /** The watermark stored for a process, read without claiming it. */
  watermark(processId: string): Promise<string | undefined>;
  /** Deletes the Midaxo tokens the containers cached in the table: the next new container asks for one. */
  forgetCachedTokens(): Promise<void>;
  readonly sns: SnsStandIn;
  readonly dynamoDbFaults: DynamoDbFaults;
  /**
   * The DynamoDB requests the handlers sent since the last clear, by operation ("GetItem", ...), in order;
   * those of the Midaxo token cache as "GetItem (token cache)", "UpdateItem (token cache)".
   */
  dynamoDbRequests(): readonly string[];
  clearDynamoDbRequests(): void;
  readonly secrets: SecretWatch;
  /** The handler of the harness's first container. */
  readonly handler: PollerHandler;
  /** Another container of the same deployment: its own token cache and secret cache. */
  createHandler(overrides?: HandlerOverrides): PollerHandler;
  /** Invokes a handler (the first one by default) with what it writes captured, not printed. */
  invoke(event?: unknown, context?: Context, handler?: PollerHandler): Promise<RunSummary>;
  /** Everything the handlers wrote so far (logs, metrics, console), in order. */
  output(): string;
  /** What Secrets Manager answers from now on; undefined answers ResourceNotFoundException. */
  setSecretString(secretString: string | undefined): void;
  close(): Promise<void>;
}

export async function startPollerHarness(options: PollerHarnessOptions): Promise<PollerHarness> {
  const clock = new ManualClock(options.start ?? new Date('2026-11-27T08:00:00.000Z'));
  const sandbox = await startMidaxoSandbox({
    clients: [FAULT_CLIENT],
    ...options.sandbox,
    now: () => clock.now(),
    processes: options.processes,
  });
  const observer = createLocalDynamoDbClient(options.dynamoDbEndpoint);
  const dynamodb = createLocalLambdaDynamoDbClient(options.dynamoDbEndpoint);
  const seed = options.seed ?? 1;
  const dynamoDbFaults = injectDynamoDbFaults(dynamodb, seed ^ 0xd7_a0);
  let dynamoDbRequests: string[] = [];
  dynamodb.middlewareStack.add(
    (next, context) => (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const key = (args.input as { Key?: Record<string, { S?: string }> }).Key;
      const ofTokenCache =
        key?.[STATE_TABLE_KEYS.partitionKey]?.S?.startsWith(TOKEN_CACHE_PARTITION_PREFIX) === true;
      dynamoDbRequests.push(ofTokenCache ? `${operation} (token cache)` : operation);
      return next(args);
    },
    { step: 'initialize', name: 'harnessRequestLog' },
  );
  const tableName = await createStateTable(observer);
  const sns = createSnsStandIn(seed ^ 0x5_5e);
  const secrets = createSecretWatch();
  const client = options.sandbox?.clients?.[0] ?? FAULT_CLIENT;
  secrets.watch('client secret', client.clientSecret);

  let secretString: string | undefined = JSON.stringify({
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const secretsManager = new SecretsManagerClient({ region: 'eu-west-1' });
  mockClient(secretsManager)
    .on(GetSecretValueCommand)
    .callsFake(() => {
      if (secretString === undefined) {
        throw new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { SecretString: secretString, Name: SECRET_ID };
    });

  const baseEnv: Record<string, string> = {
    MIDAXO_INSTANCE: 'eu',
    MIDAXO_API_URL: sandbox.apiUrl,
    MIDAXO_AUTH_URL: sandbox.authUrl,
    MIDAXO_SECRET_ID: SECRET_ID,
    MIDAXO_PROCESS_IDS: Object.keys(options.processes).join(','),
    STATE_TABLE_NAME: tableName,
    TOPIC_ARN,
    PAGE_SIZE: '10',
    ...(options.storedWorkspaces === undefined
      ? {}
      : {
          // An empty variable is an unset one.
          MIDAXO_SECRET_ID: '',
          MIDAXO_PROCESS_IDS: '',
          MIDAXO_WORKSPACES_VERSION: await storeWorkspaces(observer, tableName, options.storedWorkspaces),
        }),
    ...options.env,
  };
  const silent = new Logger({ logLevel: 'SILENT' });

  const createHandler = (overrides: HandlerOverrides = {}): PollerHandler => {
    const logger = overrides.logger === undefined ? (options.logger ?? silent) : overrides.logger;
    return createPollerHandler({
      env: { ...baseEnv, ...overrides.env },
      dynamodb,
      sns: sns.client,
      secretsManager,
      clock,
      fetch: overrides.wrapFetch?.(secrets.fetch) ?? secrets.fetch,
      ...(logger === null ? {} : { logger }),
    });
  };
  const captured = createSharedCapture();
  const handler = captured.during(() => createHandler());

  return {
    sandbox,
    clock,
    tableName,
    store: createDynamoDbStateStore({ client: observer, tableName }),
    watermark: (processId) => storedWatermark(observer, tableName, processId),
    forgetCachedTokens: () => forgetCachedTokens(observer, tableName),
    sns,
    dynamoDbFaults,
    dynamoDbRequests: () => dynamoDbRequests,
    clearDynamoDbRequests() {
      dynamoDbRequests = [];
    },
    secrets,
    handler,
    createHandler: (overrides) => captured.during(() => createHandler(overrides)),
    invoke: (event = { mode: 'poll' }, context = lambdaContext(), target = handler) =>
      captured.during(() => target(event, context) as Promise<RunSummary>),
    output: () => captured.text(),
    setSecretString(next) {
      secretString = next;
    },
    async close() {
      await sandbox.close();
      dynamodb.destroy();
      observer.destroy();
    },
  };
}

/**
 * One capture of the process's output while any invocation runs, however many overlap: started by the
 * first to begin, ended by the last to finish, so concurrent invocations do not undo each other's capture.
 */
function createSharedCapture() {
  const done: string[] = [];
  let current: CapturedOutput | undefined;
  let running = 0;
  const begin = () => {
    if (running++ === 0) current = captureOutput();
  };
  const end = () => {
    if (--running > 0 || current === undefined) return;
    done.push(current.text());
    current.restore();
    current = undefined;
  };
  function during<T>(work: () => T): T {
    begin();
    let result: T;
    try {
      result = work();
    } catch (e: unknown) {
      end();
      throw e;
    }
    if (result instanceof Promise) return result.finally(end) as T;
    end();
    return result;
  }
  return { during, text: () => done.join('') + (current?.text() ?? '') };
}

/**
 * A Lambda context whose remaining time drops by `stepMs` at every look, from `startMs`: the run sees
 * its budget run out after a few pages and has to checkpoint.
 */
export function dwindlingContext(startMs: number, stepMs: number): Context {
  let remaining = startMs;
  return {
    ...lambdaContext(),
    getRemainingTimeInMillis: () => {
      const now = remaining;
      remaining = Math.max(0, remaining - stepMs);
      return now;
    },
  };
}

/** The outcome of the run's only process; throws when the process failed, as the handler would have. */
export function onlyProcess(summary: RunSummary): ProcessSummary {
  const [outcome, ...others] = summary.processes;
  if (outcome === undefined || others.length > 0) {
    throw new Error(`Expected one process in the run, got ${summary.processes.length}`);
  }
  if (outcome.error !== undefined) throw new Error(`The process failed: ${outcome.error}`);
  return outcome;
}
