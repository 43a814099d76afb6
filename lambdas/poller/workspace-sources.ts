/**
 * The workspaces of the poller's configuration as the core's run sees them: each reads its own secret
 * when opened (so one bad secret fails only its workspace) and lists over the shared Midaxo adapter,
 * whose token providers outlive the invocation.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { midaxoEndpointsFor } from '../../shared/adapters/midaxo/midaxo-endpoints.js';
import { MidaxoAuthError } from '../../shared/adapters/midaxo/midaxo-errors.js';
import { createMidaxoSourceFactory } from '../../shared/adapters/midaxo/midaxo-source-factory.js';
import type { CredentialsReader } from '../../shared/adapters/secrets/secrets-manager-credentials.js';
import type { PollerConfig } from '../../shared/config/poller-config.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import type { PollSettings } from '../../shared/core/poll-process.js';
import type { WorkspacePlan } from '../../shared/core/poll-run.js';
import { MetricName } from '../../shared/observability/metric-names.js';
import type { Deadline } from '../../shared/support/deadline.js';

export interface WorkspaceSourcesOptions {
  readonly config: PollerConfig;
  readonly credentials: CredentialsReader;
  readonly metrics: Metrics;
  readonly fetch?: typeof fetch;
}

export function createWorkspaceSources(options: WorkspaceSourcesOptions) {
  const { config } = options;
  const defaults = midaxoEndpointsFor(config.midaxo.instance);
  const endpoints = {
    apiUrl: config.midaxo.apiUrl ?? defaults.apiUrl,
    authUrl: config.midaxo.authUrl ?? defaults.authUrl,
    audience: config.midaxo.audience ?? defaults.audience,
  };
  const openSource = createMidaxoSourceFactory({
    endpoints,
    pageSize: config.pageSize,
    fetch: options.fetch,
    onRequest: (info) => {
      options.metrics.addMetric(MetricName.ApiRequests, MetricUnit.Count, 1);
      if (info.retried) options.metrics.addMetric(MetricName.ApiRetries, MetricUnit.Count, 1);
    },
  });

  const settings: PollSettings = {
    overlapSeconds: config.overlapSeconds,
    ignoredFields: config.ignoredFields,
    publishBaseline: config.publishBaseline,
    sourceBase: endpoints.apiUrl,
    deletionGuard: config.deletionGuard,
  };

  /** The run's plan over `workspaces`, the configured ones a run selected, listed within its deadline. */
  const plans = (workspaces: readonly WorkspaceConfig[], deadline?: Deadline): WorkspacePlan[] =>
    workspaces.map((workspace) => ({
      name: workspace.name,
      processIds: workspace.processIds,
      openSource: async () => {
        const credentials = await options.credentials.read(workspace.secretId);
        const source = openSource(workspace.name, credentials, deadline);
        return {
          fetchPage: (request) =>
            source.fetchPage(request).catch((error: unknown) => {
              if (error instanceof MidaxoAuthError) options.credentials.markRejected(workspace.secretId);
              throw error;
            }),
        };
      },
    }));

  return { plans, settings };
}
