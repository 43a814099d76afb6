/**
 * Composition root of the poller Lambda: configuration, adapters and middleware, nothing else.
 * Everything container-scoped (SDK clients, the workspace list, cached secrets, Midaxo tokens) lives as
 * long as the container, so warm invocations reuse it; Midaxo tokens are also kept, sealed, in the state
 * table, so the next container reuses them too.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createDynamoDbProcessStore } from '../../shared/adapters/dynamodb/dynamodb-process-store.js';
import { createDynamoDbStateStore } from '../../shared/adapters/dynamodb/dynamodb-state-store.js';
import { createDynamoDbTokenCache } from '../../shared/adapters/dynamodb/dynamodb-token-cache.js';
import { createSecretsManagerCredentialsReader } from '../../shared/adapters/secrets/secrets-manager-credentials.js';
import { createSnsEventPublisher } from '../../shared/adapters/sns/sns-event-publisher.js';
import { createSqsEventPublisher } from '../../shared/adapters/sqs/sqs-event-publisher.js';
import { ConfigError } from '../../shared/config/config-error.js';
import { loadPollerConfig, type PollerConfig } from '../../shared/config/poller-config.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { failedOutcomes, pollRun, type RunKind, type RunSummary } from '../../shared/core/poll-run.js';
import type { Clock, EventPublisher } from '../../shared/core/ports.js';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../../shared/observability/metric-names.js';
import { startDeadline } from '../../shared/support/deadline.js';
import { createConfiguredWorkspaces } from './configured-workspaces.js';
import { PollRunError } from './poll-run-error.js';
import { parsePollerEvent } from './poller-event.js';
import { recordRunMetrics } from './run-metrics.js';
import { selectWorkspaces } from './run-selection.js';
import { createStalenessCheck } from './staleness-check.js';
import { createWorkspaceSources } from './workspace-sources.js';

export interface PollerHandlerDependencies {
  readonly env: Record<string, string | undefined>;
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secretsManager: SecretsManagerClient;
  /** For a replay to named webhook targets. @default - such a replay is refused */
  readonly sqs?: SQSClient;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

export function createPollerHandler(deps: PollerHandlerDependencies) {
  const config = loadPollerConfig(deps.env);
  // A bad configuration fails the cold start; what only an invocation uses (Powertools, the adapters,
  // middy) is built by the first one, which needs it anyway, so the import stays close to the SDK clients'.
  let handler: ReturnType<typeof buildPollerHandler> | undefined;
  return (event: unknown, context: Context): Promise<unknown> => {
    handler ??= buildPollerHandler(deps, config);
    return handler(event, context);
  };
}

function buildPollerHandler(deps: PollerHandlerDependencies, config: PollerConfig) {
  const clock = deps.clock ?? { now: () => new Date() };
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const store = createDynamoDbStateStore({
    client: deps.dynamodb,
    tableName: config.stateTableName,
    eventRetentionDays: config.eventRetentionDays,
    clock,
  });
  // A page's changes fit in ten PublishBatch calls: send them in one round.
  const publisher = createSnsEventPublisher({
    client: deps.sns,
    topicArn: config.topicArn,
    concurrency: 10,
    emailText: config.emailText,
  });
  const processes = createDynamoDbProcessStore({
    client: deps.dynamodb,
    tableName: config.stateTableName,
    clock,
  });
  const configuredWorkspaces = createConfiguredWorkspaces({
    source: config.workspaces,
    dynamodb: deps.dynamodb,
    tableName: config.stateTableName,
  });
  const staleness = createStalenessCheck({
    dynamodb: deps.dynamodb,
    tableName: config.stateTableName,
    clock,
  });
  const sources = createWorkspaceSources({
    config,
    credentials: createSecretsManagerCredentialsReader({ client: deps.secretsManager }),
    metrics,
    fetch: deps.fetch,
    // A new container reuses the workspace's token; the cache failing only costs a token request.
    tokenCache: {
      store: createDynamoDbTokenCache({ client: deps.dynamodb, tableName: config.stateTableName }),
      onFailure: (failure, workspace) => logger.warn('Midaxo token cache not used', { workspace, failure }),
    },
  });

  const runPoller = async (
    event: unknown,
    context: Context,
    { signal }: { readonly signal?: AbortSignal } = {},
  ): Promise<unknown> => {
    // Throws on a bad payload before anything is read or requested; a name that is not configured is
    // refused once the workspace list is known, before any secret is read or Midaxo asked.
    const request = parsePollerEvent(event);
    const workspaces = selectWorkspaces(await configuredWorkspaces(), request);
    const kind: RunKind =
      request.mode === 'replay'
        ? {
            replay: {
              since: request.since,
              ...(request.until === undefined ? {} : { until: request.until }),
            },
          }
        : request.mode;
    const confirmDeletions = request.mode === 'reconcile' && request.confirmDeletions === true;
    const targets = request.mode === 'replay' ? request.targets : undefined;
    const runPublisher = targets === undefined ? publisher : replayPublisher(targets);
    try {
      return await pollWorkspaces(workspaces, kind, context, { confirmDeletions, runPublisher }, signal);
    } finally {
      await checkStaleness();
    }
  };

  /** Never fails the run: a check that could not read reports nothing, which the alarm sees in time. */
  const checkStaleness = async (): Promise<void> => {
    try {
      const stalest = await staleness(await configuredWorkspaces());
      if (stalest === undefined) return;
      metrics.addMetric(MetricName.OldestWatermarkAge, MetricUnit.Seconds, stalest.seconds);
      logger.info('Oldest watermark of the configured workspaces', { stalest });
    } catch (error: unknown) {
      logger.warn('Could not check the watermarks of the configured workspaces', { error });
    }
  };

  /** Publishes into the named webhook targets' queues only: a replay that spams no other subscriber. */
  const replayPublisher = (targets: readonly string[]): EventPublisher => {
    const unknown = targets.filter((name) => config.replayQueues[name] === undefined);
    const known = Object.keys(config.replayQueues);
    if (unknown.length > 0 || deps.sqs === undefined) {
      throw new ConfigError(
        `Invalid invocation payload:\n- targets: ${unknown.map((name) => JSON.stringify(name)).join(', ') || 'none'} ` +
          `not a webhook target of this stack; known: ${known.map((name) => JSON.stringify(name)).join(', ') || 'none'}`,
      );
    }
    return createSqsEventPublisher({
      client: deps.sqs,
      queueUrls: targets.map((name) => config.replayQueues[name] ?? ''),
    });
  };

  const pollWorkspaces = async (
    workspaces: readonly WorkspaceConfig[],
    mode: RunKind,
    context: Context,
    options: { readonly confirmDeletions: boolean; readonly runPublisher: EventPublisher },
    /** Middy's: aborts when it stops waiting for the handler, just before Lambda's timeout. */
    givenUp?: AbortSignal,
  ): Promise<RunSummary> => {
    const startedAt = clock.now();
    // Every wait and request of the run follows it; it ends with the handler, so nothing the run
    // started goes on after it (on Lambda, it would wake up inside the next invocation).
    const deadline = startDeadline(() => context.getRemainingTimeInMillis(), givenUp);
    const invocation = {
      store,
      publisher: options.runPublisher,
      clock,
      processes,
      budget: deadline,
      runId: context.awsRequestId,
    };
    // The lease ends just after this invocation's deadline: a crashed run blocks no later one for long.
    const leaseSeconds = Math.ceil(context.getRemainingTimeInMillis() / 1000) + 10;
    const plans = sources.plans(workspaces, deadline);
    const settings = {
      ...sources.settings,
      leaseSeconds,
      ...(options.confirmDeletions ? { confirmDeletions: true } : {}),
    };
    let summary: RunSummary;
    try {
      summary = await pollRun(plans, invocation, settings, mode);
    } finally {
      deadline.end();
    }
    recordRunMetrics(metrics, summary, startedAt, clock.now());
    logger.info('Poll run finished', { summary });
    const failures = failedOutcomes(summary);
    if (failures.length > 0) throw PollRunError.fromFailures(failures, summary.processes.length);
    return summary;
  };

  return middy(runPoller)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }));
}
