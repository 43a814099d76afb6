/** The one-line-per-process account of a cycle, written to stderr beside the events on stdout. */
import type { ProcessOutcome, RunSummary } from '../shared/core/poll-run.js';
import { quoteUntrusted } from '../shared/support/untrusted-text.js';

export interface CycleReportOptions {
  /** Also report processes where nothing changed (a single `--once` cycle should always say something). */
  readonly includeQuiet: boolean;
  readonly elapsedMs: number;
}

export function cycleReportLines(summary: RunSummary, options: CycleReportOptions): string[] {
  return summary.processes.flatMap((outcome) => {
    const line = describeOutcome(outcome, options);
    const prefix = `${outcome.workspace}/${outcome.processId}`;
    const aside = outcome.error === undefined ? (outcome.setAside ?? []) : [];
    const held = outcome.error === undefined ? (outcome.deletionsHeld ?? 0) : 0;
    return [
      ...(line === undefined ? [] : [`${prefix}: ${line}`]),
      ...(held === 0
        ? []
        : [
            `${prefix}: HELD ${count(held, 'deletion')}: too many to believe without confirmation (or the ` +
              'listing was empty); nothing was published for them. Check the process in Midaxo, then run ' +
              '--once --reconcile --confirm-deletions to publish them.',
          ]),
      // The id is the server's text: only printable characters reach the terminal.
      ...aside.map((entry) => `${prefix}: set aside ${printable(entry.projectId)}: ${entry.reason}`),
    ];
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
  if (outcome.skipped === 'lease-held')
    return 'skipped: another run on this state file is working on it now (the next cycle tries again)';
  const took = `in ${formatDuration(options.elapsedMs)}`;
  // A replay reads the event log, not Midaxo: its pages are the log's, and everything it sends is old.
  if (outcome.mode === 'replay')
    return `replayed ${count(outcome.published, 'recorded event')} from the event log, same ids (${took})`;
  const pages = `${count(outcome.scanned, 'project')} read in ${count(outcome.pages, 'page')}`;
  const sweep = outcome.mode === 'reconcile' ? 'sweep: ' : '';
  const changed = outcome.created + outcome.updated + outcome.deleted;
  if (outcome.mode === 'baseline' || (outcome.mode === 'reconcile' && outcome.published < changed)) {
    // A process's first cycle (a sweep included) records what it finds instead of announcing all of it.
    const first = outcome.mode === 'baseline' ? 'first cycle' : 'first sweep of a new state';
    return outcome.published === 0
      ? `${first}: recorded ${count(outcome.created, 'project')} without publishing them (${pages} ${took}); --publish-baseline publishes them as created`
      : `${first}: published ${count(outcome.published, 'created event')} (${pages} ${took})`;
  }
  if (changed === 0) return options.includeQuiet ? `${sweep}no changes (${pages} ${took})` : undefined;
  // A sweep reads every project, and some twice (its re-check): its count of unchanged ones says nothing.
  const parts =
    outcome.mode === 'reconcile'
      ? [`${outcome.updated} updated`, `${outcome.created} created`, `${outcome.deleted} deleted`]
      : [`${outcome.updated} updated`, `${outcome.created} created`, `${outcome.unchanged} unchanged`];
  return `${sweep}${parts.join(', ')} (${pages} ${took})`;
}

function printable(text: string): string {
  return quoteUntrusted(text, { maxLength: 100 });
}

/** `1 project`, `2,000 projects`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
