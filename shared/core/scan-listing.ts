/**
 * Reads one listing to its end and turns it into change events, page by page:
 * read stored hashes, detect changes, publish them, then save what was published.
 * Shared by the incremental poll and the reconcile sweep.
 */
import { detectChanges, type PollMode } from './detect-changes.js';
import { streamPages } from './page-stream.js';
import type { Clock, EventPublisher, PageRequest, ProjectSource, StateStore } from './ports.js';

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

export type RunMode = PollMode | 'reconcile';

export interface ProcessSummary {
  readonly processId: string;
  readonly mode: RunMode;
  scanned: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Events published: on a silent baseline, fewer than created. */
  published: number;
  pages: number;
  complete: boolean;
  /** The stored watermark at the end of the run. */
  watermark?: string;
}

export function emptySummary(processId: string, mode: RunMode): ProcessSummary {
  return {
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
}

export async function scanListing(
  deps: PollDependencies,
  settings: PollSettings,
  request: Omit<PageRequest, 'after'>,
  detection: PollMode,
  summary: ProcessSummary,
  onListed: (projectIds: readonly string[]) => void = () => {},
): Promise<void> {
  const { processId } = request;
  for await (const page of streamPages(deps.source, request)) {
    const ids = page.projects.map((project) => project.id);
    onListed(ids);
    const stored = await deps.store.getProjects(processId, ids);
    const detected = detectChanges(page.projects, stored, {
      mode: detection,
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
}
