/** The one-line-per-process account of a cycle, written to stderr beside the events on stdout. */
import type { ProcessOutcome, RunSummary } from '../shared/core/poll-run.js';

export interface CycleReportOptions {
  /** Also report processes where nothing changed (a single `--once` cycle should always say something). */
  readonly includeQuiet: boolean;
  readonly elapsedMs: number;
}

export function cycleReportLines(summary: RunSummary, options: CycleReportOptions): string[] {
  return summary.processes.flatMap((outcome) => {
    const line = describeOutcome(outcome, options);
    return line === undefined ? [] : [`${outcome.workspace}/${outcome.processId}: ${line}`];
  });
}

function describeOutcome(outcome: ProcessOutcome, options: CycleReportOptions): string | undefined {
  if (outcome.error !== undefined) {
    const kept =
      outcome.watermark === undefined
        ? 'nothing was recorded yet'
        : `the watermark stays at ${outcome.watermark}`;
    return `FAILED: ${outcome.error} (${kept}; the next cycle reads the same window again)`;
  }
  const took = `in ${formatDuration(options.elapsedMs)}`;
  const pages = `${outcome.scanned.toLocaleString('en-US')} read in ${outcome.pages} page${outcome.pages === 1 ? '' : 's'}`;
  if (outcome.mode === 'baseline') {
    return outcome.published === 0
      ? `first cycle: recorded ${outcome.created.toLocaleString('en-US')} projects without publishing them (${pages} ${took}); --publish-baseline publishes them as created`
      : `first cycle: published ${outcome.published.toLocaleString('en-US')} created events (${pages} ${took})`;
  }
  if (outcome.mode === 'reconcile') {
    return `sweep: ${outcome.deleted} deleted, ${outcome.updated} updated, ${outcome.created} created (${pages} ${took})`;
  }
  if (outcome.created === 0 && outcome.updated === 0) {
    return options.includeQuiet ? `no changes (${pages} ${took})` : undefined;
  }
  return `${outcome.updated} updated, ${outcome.created} created, ${outcome.unchanged} unchanged (${pages} ${took})`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
