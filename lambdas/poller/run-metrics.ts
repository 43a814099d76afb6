/** Turns a run's summary into the CloudWatch metrics the stack's alarms and dashboard read. */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { failedOutcomes, type RunSummary } from '../../shared/core/poll-run.js';
import { MetricName } from '../../shared/observability/metric-names.js';

export function recordRunMetrics(
  metrics: Metrics,
  summary: RunSummary,
  startedAt: Date,
  finishedAt: Date,
): void {
  const total = (field: 'scanned' | 'created' | 'updated' | 'deleted') =>
    summary.processes.reduce((sum, outcome) => sum + (outcome.error === undefined ? outcome[field] : 0), 0);
  metrics.addMetric(MetricName.ProjectsScanned, MetricUnit.Count, total('scanned'));
  metrics.addMetric(MetricName.ProjectsCreated, MetricUnit.Count, total('created'));
  metrics.addMetric(MetricName.ProjectsUpdated, MetricUnit.Count, total('updated'));
  metrics.addMetric(MetricName.ProjectsDeleted, MetricUnit.Count, total('deleted'));
  metrics.addMetric(
    MetricName.RunDuration,
    MetricUnit.Milliseconds,
    finishedAt.getTime() - startedAt.getTime(),
  );
  const failedWorkspaces = new Set(failedOutcomes(summary).map((outcome) => outcome.workspace));
  metrics.addMetric(MetricName.FailedWorkspaces, MetricUnit.Count, failedWorkspaces.size);
  metrics.addMetric(MetricName.SuccessfulRuns, MetricUnit.Count, failedWorkspaces.size === 0 ? 1 : 0);
  const succeeded = (field: 'quarantined' | 'deletionsHeld') =>
    summary.processes.reduce(
      (sum, outcome) => sum + (outcome.error === undefined ? (outcome[field] ?? 0) : 0),
      0,
    );
  metrics.addMetric(MetricName.QuarantinedProjects, MetricUnit.Count, succeeded('quarantined'));
  metrics.addMetric(MetricName.DeletionsHeld, MetricUnit.Count, succeeded('deletionsHeld'));
  const lag = watermarkLagSeconds(summary, finishedAt);
  if (lag !== undefined) metrics.addMetric(MetricName.WatermarkLag, MetricUnit.Seconds, lag);
}

/** How far behind now the oldest watermark is; a process that keeps failing keeps it growing. */
function watermarkLagSeconds(summary: RunSummary, now: Date): number | undefined {
  const watermarks = summary.processes.flatMap((outcome) =>
    outcome.watermark === undefined ? [] : [Date.parse(outcome.watermark)],
  );
  if (watermarks.length === 0) return undefined;
  return Math.round((now.getTime() - Math.min(...watermarks)) / 1000);
}
