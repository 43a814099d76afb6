/**
 * Use case: poll one Midaxo process for changes.
 *  1. pin the update window at the run's start, from the stored watermark;
 *  2. scan the listing of that window page by page (detect, publish, then save);
 *  3. only when every page is done, advance the watermark to the window's end.
 * A failure anywhere leaves the watermark where it was, so the next run reads the window again; the
 * hashes saved for pages already published keep that re-read from notifying twice.
 */
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  type ProcessSummary,
  scanListing,
} from './scan-listing.js';
import { updateWindowFor } from './update-window.js';

export type { PollDependencies, PollSettings, ProcessSummary } from './scan-listing.js';

export async function pollProcess(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  const runStart = deps.clock.now();
  const watermark = await deps.store.getWatermark(processId);
  const mode = watermark === undefined ? 'baseline' : 'incremental';
  const window = updateWindowFor(watermark, runStart, settings.overlapSeconds);
  const summary = emptySummary(processId, mode);

  await scanListing(deps, settings, { processId, window }, mode, summary);

  await deps.store.advanceWatermark(processId, window.updatedBefore);
  summary.complete = true;
  summary.watermark = window.updatedBefore;
  return summary;
}
