import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { recordRunMetrics } from '../../../lambdas/poller/run-metrics.js';
import type { RunSummary } from '../../../shared/core/poll-run.js';
import { emptySummary } from '../../../shared/core/scan-listing.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../shared/observability/metric-names.js';

function emf(summary: RunSummary, startedAt: Date, finishedAt: Date) {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  recordRunMetrics(metrics, summary, startedAt, finishedAt);
  return metrics.serializeMetrics();
}

describe('run metrics', () => {
  it('reports changes, duration, failures and the oldest watermark as EMF under the service dimension', () => {
    const summary: RunSummary = {
      processes: [
        {
          workspace: 'acme',
          ...emptySummary('p1', 'incremental'),
          scanned: 40,
          created: 2,
          updated: 5,
          complete: true,
          watermark: '2026-11-27T11:59:00.000Z',
        },
        {
          workspace: 'globex',
          processId: 'p2',
          complete: false,
          error: 'MidaxoAuthError: credentials rejected',
          watermark: '2026-11-27T11:00:00.000Z',
        },
      ],
    };

    const output = emf(summary, new Date('2026-11-27T12:00:00.000Z'), new Date('2026-11-27T12:00:02.500Z'));

    expect(output).toMatchObject({
      service: SERVICE_NAME,
      ProjectsScanned: 40,
      ProjectsCreated: 2,
      ProjectsUpdated: 5,
      ProjectsDeleted: 0,
      RunDuration: 2500,
      FailedWorkspaces: 1,
      SuccessfulRuns: 0,
      WatermarkLag: 3603,
    });
    expect(output._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['service']],
    });
  });

  it('counts a run with no failure as successful', () => {
    const output = emf({ processes: [] }, new Date(0), new Date(1));

    expect(output).toMatchObject({ SuccessfulRuns: 1, FailedWorkspaces: 0 });
    expect(output).not.toHaveProperty('WatermarkLag');
  });
});
