/**
 * The workspaces of the poller's configuration as the core's run sees them: each reads its own secret
 * when opened (so one bad secret fails only its workspace) and lists over the Midaxo adapter of its
 * instance, whose token providers outlive the invocation (and, given a token cache, the container). EU and US workspaces share one poller.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type MidaxoEndpoints,
  midaxoEndpointsFor,
  workspaceEndpoints,
} from '../../shared/adapters/midaxo/midaxo-endpoints.js';
import { MidaxoAuthError } from '../../shared/adapters/midaxo/midaxo-errors.js';
import {
  createMidaxoSourceFactory,
  type MidaxoSourceFactory,
  type MidaxoSourceFactoryOptions,
} from '../../shared/adapters/midaxo/midaxo-source-factory.js';
import type { CredentialsReader } from '../../shared/adapters/secrets/secrets-manager-credentials.js';
import type { PollerConfig } from '../../shared/config/poller-config.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import type { RunSettings, WorkspacePlan } from '../../shared/core/poll-run.js';
import { MetricName } from '../../shared/observability/metric-names.js';
import type { Deadline } from '../../shared/support/deadline.js';

export interface WorkspaceSourcesOptions {
  readonly config: PollerConfig;
  readonly credentials: CredentialsReader;
  readonly metrics: Metrics;
  readonly fetch?: typeof fetch;
  /** Where Midaxo tokens outlive the container. @default - nowhere */
  readonly tokenCache?: MidaxoSourceFactoryOptions['tokenCache'];
}

export function createWorkspaceSources(options: WorkspaceSourcesOptions) {
  const { config } = options;
  const factories = new Map<string, MidaxoSourceFactory>();
  /** One factory per API and token endpoint: workspaces of one instance share it, each with its own tokens. */
  const factoryFor = (endpoints: MidaxoEndpoints): MidaxoSourceFactory => {
    const key = `${endpoints.apiUrl} ${endpoints.authUrl}`;
    let factory = factories.get(key);
    if (factory === undefined) {
      factory = createMidaxoSourceFactory({
        endpoints,
        pageSize: config.pageSize,
        fetch: options.fetch,
        tokenCache: options.tokenCache,
        onRequest: (info) => {
          options.metrics.addMetric(MetricName.ApiRequests, MetricUnit.Count, 1);
          if (info.retried) options.metrics.addMetric(MetricName.ApiRetries, MetricUnit.Count, 1);
        },
      });
      factories.set(key, factory);
    }
    return factory;
  };

  const settings: RunSettings = {
    overlapSeconds: config.overlapSeconds,
    ignoredFields: config.ignoredFields,
    publishBaseline: config.publishBaseline,
    // Each workspace's plan names its own; this one is the deployment's, for a plan that does not.
    sourceBase:
      config.midaxo.apiUrl ??
      (config.midaxo.instance === undefined ? '' : midaxoEndpointsFor(config.midaxo.instance).apiUrl),
    processConcurrency: config.processConcurrency,
    deletionGuard: config.deletionGuard,
  };

  /** The run's plan over `workspaces`: the configured ones a run selected, listed within its deadline. */
  const plans = (workspaces: readonly WorkspaceConfig[], deadline?: Deadline): WorkspacePlan[] =>
    workspaces.map((workspace) => {
      let endpoints: MidaxoEndpoints;
      try {
        endpoints = workspaceEndpoints(config.midaxo, workspace);
      } catch (error: unknown) {
        return {
          name: workspace.name,
          processIds: workspace.processIds,
          openSource: () => Promise.reject(error),
        };
      }
      const openSource = factoryFor(endpoints);
      return {
        name: workspace.name,
        processIds: workspace.processIds,
        sourceBase: endpoints.apiUrl,
        openSource: async () => {
          const source = openSource(
            workspace.name,
            await options.credentials.read(workspace.secretId),
            deadline,
          );
          return {
            fetchPage: (request) =>
              source.fetchPage(request).catch((error: unknown) => {
                if (error instanceof MidaxoAuthError) options.credentials.markRejected(workspace.secretId);
                throw error;
              }),
          };
        },
      };
    });

  return { plans, settings };
}
