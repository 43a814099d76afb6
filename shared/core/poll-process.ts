/**
 * Use case: poll one Midaxo process for changes.
 *  1. take the process's run lease (another run holding it → return at once, skipped);
 *  2. pin the update window at the run's start from the stored watermark — or take window and cursor
 *     from the checkpoint an interrupted run left;
 *  3. scan the listing of that window page by page (detect, publish, then save);
 *     when the invocation's time runs low (or an adapter will not start a retry it could not finish),
 *     save a checkpoint and return `complete: false`;
 *  4. only when every page is done, advance the watermark to the window's end and clear the checkpoint.
 * A failure anywhere leaves the watermark where it was, so the next run reads the window again; the
 * hashes saved for pages already published keep that re-read from notifying twice.
 */
import { budgetRunningLow, underProcessLease } from './process-lease.js';
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  type ProcessSummary,
  scanListing,
} from './scan-listing.js';
import { updateWindowFor } from './update-window.js';

export type { PollDependencies, PollSettings, ProcessSummary } from './scan-listing.js';

export function pollProcess(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  return underProcessLease(deps, settings, processId, 'incremental', () =>
    pollUnderLease(deps, settings, processId),
  );
}

async function pollUnderLease(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  const runStart = deps.clock.now();
  const checkpoint = await deps.checkpoints?.getCheckpoint(processId);
  const watermark = await deps.store.getWatermark(processId);
  const baseline = checkpoint?.baseline ?? watermark === undefined;
  const window = checkpoint?.window ?? updateWindowFor(watermark, runStart, settings.overlapSeconds);
  const windowEnd = window.updatedBefore ?? runStart.toISOString();
  const mode = baseline ? 'baseline' : 'incremental';
  const summary = emptySummary(processId, mode);
  if (checkpoint !== undefined) summary.resumed = true;

  const outcome = await scanListing(deps, settings, summary, {
    request: { processId, window, after: checkpoint?.after },
    detection: mode,
    shouldStop: deps.checkpoints === undefined ? undefined : budgetRunningLow(deps, settings),
  });

  if (outcome.interrupted) {
    if (outcome.resumeAfter !== undefined) {
      await deps.checkpoints?.saveCheckpoint(processId, { window, after: outcome.resumeAfter, baseline });
    }
    summary.watermark = watermark;
    return summary;
  }
  await deps.store.advanceWatermark(processId, windowEnd);
  if (checkpoint !== undefined) await deps.checkpoints?.clearCheckpoint(processId);
  summary.complete = true;
  summary.watermark = windowEnd;
  return summary;
}
