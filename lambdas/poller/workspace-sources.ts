/**
 * Builds each workspace's Midaxo listing: credentials from its secret, a token provider kept for the
 * container's lifetime (so warm runs reuse the token), and the HTTP project source.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { midaxoEndpointsFor } from '../../shared/adapters/midaxo/midaxo-endpoints.js';
import { createMidaxoProjectSource } from '../../shared/adapters/midaxo/midaxo-project-source.js';
import { createTokenProvider } from '../../shared/adapters/midaxo/token-provider.js';
import type { CredentialsReader } from '../../shared/adapters/secrets/secrets-manager-credentials.js';
import type { MidaxoCredentials } from '../../shared/config/midaxo-credentials.js';
import type { PollerConfig } from '../../shared/config/poller-config.js';
import type { PollSettings } from '../../shared/core/poll-process.js';
import type { WorkspacePlan } from '../../shared/core/poll-run.js';
import { MetricName } from '../../shared/observability/metric-names.js';

export interface WorkspaceSourcesOptions {
  readonly config: PollerConfig;
  readonly readCredentials: CredentialsReader;
  readonly metrics: Metrics;
  readonly fetch?: typeof fetch;
}

type TokenProvider = ReturnType<typeof createTokenProvider>;

export function createWorkspaceSources(options: WorkspaceSourcesOptions) {
  const { config } = options;
  const defaults = midaxoEndpointsFor(config.midaxo.instance);
  const endpoints = {
    apiUrl: config.midaxo.apiUrl ?? defaults.apiUrl,
    authUrl: config.midaxo.authUrl ?? defaults.authUrl,
    audience: config.midaxo.audience ?? defaults.audience,
  };
  const tokenProviders = new Map<string, { credentials: MidaxoCredentials; tokens: TokenProvider }>();

  /** A rotated secret gets a fresh token provider; an unchanged one keeps its cached token. */
  const tokensFor = (workspace: string, credentials: MidaxoCredentials): TokenProvider => {
    const cached = tokenProviders.get(workspace);
    if (cached && sameCredentials(cached.credentials, credentials)) return cached.tokens;
    const tokens = createTokenProvider({ ...endpoints, credentials, fetch: options.fetch });
    tokenProviders.set(workspace, { credentials, tokens });
    return tokens;
  };

  const onRequest = (info: { retried: boolean }) => {
    options.metrics.addMetric(MetricName.ApiRequests, MetricUnit.Count, 1);
    if (info.retried) options.metrics.addMetric(MetricName.ApiRetries, MetricUnit.Count, 1);
  };

  const settings: PollSettings = {
    overlapSeconds: config.overlapSeconds,
    ignoredFields: config.ignoredFields,
    publishBaseline: config.publishBaseline,
    sourceBase: endpoints.apiUrl,
  };

  const plans = (): WorkspacePlan[] =>
    config.workspaces.map((workspace) => ({
      name: workspace.name,
      processIds: workspace.processIds,
      openSource: async () => {
        const credentials = await options.readCredentials(workspace.secretId);
        return createMidaxoProjectSource({
          apiUrl: endpoints.apiUrl,
          tokens: tokensFor(workspace.name, credentials),
          pageSize: config.pageSize,
          fetch: options.fetch,
          onRequest,
        });
      },
    }));

  return { plans, settings };
}

function sameCredentials(a: MidaxoCredentials, b: MidaxoCredentials): boolean {
  return a.clientId === b.clientId && a.clientSecret === b.clientSecret;
}
