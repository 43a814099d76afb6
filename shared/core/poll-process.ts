/**
 * Use case: poll one Midaxo process for changes.
 *  1. pin the update window at the run's start, from the stored watermark;
 *  2. stream the listing page by page;
 *  3. per page: read stored hashes, detect changes, publish them, then save what was published;
 *  4. only when every page is done, advance the watermark to the window's end.
 * A failure anywhere leaves the watermark where it was, so the next run reads the window again; the
 * hashes saved for pages already published keep that re-read from notifying twice.
 */
import { detectChanges, type PollMode } from './detect-changes.js';
import { streamPages } from './page-stream.js';
import type { Clock, EventPublisher, ProjectSource, StateStore } from './ports.js';
import { updateWindowFor } from './update-window.js';

export interface PollDependencies {
  readonly source: ProjectSource;
  readonly store: StateStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
}

export interface PollSettings {
  readonly overlapSeconds: number;
  readonly ignoredFields: ReadonlySet<string>;
  /** Publish `created` for every project on a process's first run instead of recording silently. */
  readonly publishBaseline: boolean;
  /** The instance's API base URL; events' `source` is built from it. */
  readonly sourceBase: string;
}

export interface ProcessSummary {
  readonly processId: string;
  readonly mode: PollMode;
  scanned: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Events published: on a silent baseline, fewer than created. */
  published: number;
  pages: number;
  complete: boolean;
  /** The window's end, now the watermark, once the run completed. */
  watermark?: string;
}

export async function pollProcess(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  const runStart = deps.clock.now();
  const watermark = await deps.store.getWatermark(processId);
  const mode: PollMode = watermark === undefined ? 'baseline' : 'incremental';
  const window = updateWindowFor(watermark, runStart, settings.overlapSeconds);
  const summary: ProcessSummary = {
    processId,
    mode,
    scanned: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    published: 0,
    pages: 0,
    complete: false,
  };

  for await (const page of streamPages(deps.source, { processId, window })) {
    const stored = await deps.store.getProjects(
      processId,
      page.projects.map((project) => project.id),
    );
    const detected = detectChanges(page.projects, stored, {
      mode,
      processId,
      publishBaseline: settings.publishBaseline,
      ignoredFields: settings.ignoredFields,
      sourceBase: settings.sourceBase,
      detectedAt: deps.clock.now(),
    });
    if (detected.events.length > 0) await deps.publisher.publish(detected.events);
    if (detected.toSave.length > 0) await deps.store.putProjects(processId, detected.toSave);
    summary.pages++;
    summary.scanned += page.projects.length;
    summary.created += detected.created;
    summary.updated += detected.updated;
    summary.unchanged += detected.unchanged;
    summary.published += detected.events.length;
  }

  await deps.store.advanceWatermark(processId, window.updatedBefore);
  summary.complete = true;
  summary.watermark = window.updatedBefore;
  return summary;
}
