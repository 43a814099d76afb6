/**
 * Use case: poll one Midaxo process for changes.
 *  1. claim the process (another run holding it → return at once, skipped), delivering what an
 *     earlier run left in the outbox;
 *  2. pin the update window at the run's start from the watermark — or take window and cursor from
 *     the checkpoint an interrupted run left;
 *  3. scan the listing of that window page by page (detect, record, publish, remember);
 *     when the invocation's time runs low (or an adapter will not start a retry it could not finish),
 *     stop and leave a checkpoint;
 *  4. only when every page is done, move the watermark to the window's end and clear the checkpoint.
 * A failure anywhere leaves the watermark where it was, so the next run reads the window again; the
 * states remembered for pages already published keep that re-read from notifying twice.
 */
import { IdDigestSet } from './id-digests.js';
import { budgetRunningLow, type ClaimedRun, underProcessClaim, type WorkOutcome } from './process-claim.js';
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  retryQuarantined,
  scanListing,
} from './scan-listing.js';
import { updateWindowFor } from './update-window.js';

export type { PollDependencies, PollSettings, ProcessSummary } from './scan-listing.js';

export function pollProcess(deps: PollDependencies, settings: PollSettings, processId: string) {
  return underProcessClaim(deps, settings, processId, 'incremental', (run) =>
    pollUnderClaim(deps, settings, processId, run),
  );
}

async function pollUnderClaim(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  { claim, openOutbox, quarantine }: ClaimedRun,
): Promise<WorkOutcome> {
  const runStart = deps.clock.now();
  const { checkpoint, watermark } = claim;
  const baseline = checkpoint?.baseline ?? watermark === undefined;
  const window = checkpoint?.window ?? updateWindowFor(watermark, runStart, settings.overlapSeconds);
  const windowEnd = window.updatedBefore ?? runStart.toISOString();
  const summary = emptySummary(processId, baseline ? 'baseline' : 'incremental');
  if (checkpoint !== undefined) summary.resumed = true;

  // Digests, not ids: a listing of long ids would otherwise hold them all until its end.
  const listed = new IdDigestSet();
  const options = {
    request: { processId, window, after: checkpoint?.after },
    detection: baseline ? 'baseline' : 'incremental',
    openOutbox,
    quarantine,
    onListed: (ids: readonly string[]) => listed.addAll(ids),
    shouldStop: deps.budget === undefined ? undefined : budgetRunningLow(deps, settings),
    pagesBefore: checkpoint?.pagesRead ?? 0,
  } as const;
  const outcome = await scanListing(deps, settings, summary, options);
  if (!outcome.interrupted) await retryQuarantined(deps, settings, summary, options, listed);

  if (outcome.interrupted) {
    summary.watermark = watermark;
    const resume = outcome.resumeAfter;
    const pagesRead = (checkpoint?.pagesRead ?? 0) + summary.pages;
    return {
      summary,
      end: resume === undefined ? {} : { checkpoint: { window, after: resume, baseline, pagesRead } },
    };
  }
  summary.complete = true;
  summary.watermark = windowEnd;
  return { summary, end: { watermark: windowEnd, checkpoint: checkpoint === undefined ? undefined : null } };
}
